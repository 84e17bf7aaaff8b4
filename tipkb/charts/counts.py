"""UNODC counts of one state: detected victims, persons prosecuted and convicted, forms of
exploitation, citizenship. Each function takes the state's GLOTIP rows and its data notes and
returns a Chart, or a NoChart whose sentence says why there is none.

What these charts never do: draw a suppressed count as a number or zero (a hollow marker on the
baseline instead); draw a year that has no row (a gap); draw a breakdown year whose parts cover
only part of the total as if complete (left out, and said so); draw a series with no count at all
(a sentence instead); pick a "latest year" that skips a later suppressed year.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import labels, sentences, style
from .. import series as S
from ..page import Chart, NoChart
from . import layout
from .layout import plt

GLOTIP = "unodc-glotip-2025"
MAIN = style.OKABE_ITO[0]

# (label domain, code, colour) of each series of a breakdown.
SEX = (("sex", "female", style.OKABE_ITO[3]), ("sex", "male", style.OKABE_ITO[5]))
AGE = (("age", "children", style.OKABE_ITO[1]), ("age", "adults", style.OKABE_ITO[2]))
FORM_COLOURS = {"sexual_exploitation": style.OKABE_ITO[4], "forced_labour": style.OKABE_ITO[2],
                "other_forms": style.OKABE_ITO[1]}


class Series:
    """One line: its label, colour and year status; ``hidden`` years are left out of the drawing
    (partial breakdowns) but stay in the CSV with the reason; ``flags``: the data notes of each
    year, repeated in the CSV."""

    def __init__(self, label: str, colour: str, status: pd.DataFrame, hidden: dict[int, str] | None = None,
                 flags: dict[int, list[str]] | None = None, indicator: str | None = None):
        self.label, self.colour, self.status = label, colour, status
        self.hidden = hidden or {}
        self.flags = flags or {}
        self.indicator = indicator  # set for a national total: its later breakdown-only years are named

    def alt_phrase(self, rows: pd.DataFrame, lang: str) -> str:
        """The series in an alt text: its latest figure drawn, and what later years hold."""
        if self.indicator:
            return sentences.latest_phrase(self.label, S.latest_reported(rows, self.indicator), lang)
        found = S.latest_count(self.shown())
        text = sentences.latest_phrase(self.label, found, lang)
        later = sorted(int(y) for y in self.status["year"] if int(y) in self.hidden and found and int(y) > found.year)
        if later:
            text += labels.ui("latest_not_drawn", lang, years=sentences.year_runs(later, lang))
        return text

    def shown(self) -> pd.DataFrame:
        """The year status of the years drawn (not the hidden ones)."""
        return self.status[~self.status["year"].isin(list(self.hidden))]


def source_id(rows: pd.DataFrame) -> str:
    return rows["source_id"].iloc[0] if len(rows) else GLOTIP


def _draw(ax, series: list[Series], first: int, last: int, lang: str) -> bool:
    """Lines with gaps for missing, suppressed, ambiguous and hidden years; suppressed years get a
    hollow marker on the baseline. Returns whether any suppressed year was drawn."""
    years = list(range(first, last + 1))
    any_suppressed = False
    for s in series:
        full = s.status.set_index("year").reindex(years)
        shown = (full["status"] == S.VALUE) & ~full.index.isin(list(s.hidden))
        counts = full["count"].astype("Float64").where(shown)
        ax.plot(years, counts.astype(float), color=s.colour, marker="o", markersize=5.5, linewidth=2.2, label=s.label)
        supp = [y for y in years if full.loc[y, "status"] == S.SUPPRESSED and y not in s.hidden]
        if supp:
            any_suppressed = True
            ax.plot(supp, [0] * len(supp), linestyle="none", marker="v", markersize=8, markerfacecolor="white",
                    markeredgecolor=s.colour, markeredgewidth=1.6, clip_on=False)
    layout.count_axis(ax, lang)
    layout.year_axis(ax, first, last)
    return any_suppressed


def _span(series: list[Series]) -> tuple[int, int]:
    years = [int(y) for s in series for y in s.status["year"]]
    return min(years), max(years)


def _panels(panels: list[tuple[str, list[Series]]], source: str, lang: str):
    """Stacked panels sharing the year axis."""
    first, last = _span([s for _, group in panels for s in group])
    with style.context():
        fig, axes = plt.subplots(len(panels), 1, figsize=(style.WIDTH_IN, 2.2 * len(panels)), sharex=True,
                                 squeeze=False)
        suppressed, handles, seen = False, [], set()
        for ax, (title, group) in zip(axes[:, 0], panels):
            suppressed |= _draw(ax, group, first, last, lang)
            if len(panels) > 1:
                ax.set_title(title, fontsize=12.5, loc="left")
            for handle in ax.get_legend_handles_labels()[0]:
                if handle.get_label() not in seen and (len(group) > 1 or len(panels) == 1):
                    seen.add(handle.get_label())
                    handles.append(handle)
        if suppressed:
            handles.append(layout.suppressed_handle(lang))
        layout.finish(fig, [source], lang, handles if len(handles) > 1 or suppressed else None)
    return fig


def _table(series: list[Series], country: str, lang: str) -> pd.DataFrame:
    """The chart's data, one row per series and year: the count as a number (empty when there is
    none), whether it was suppressed, and a note."""
    rows = []
    for s in series:
        for rec in s.status.itertuples(index=False):
            note = labels.ui(f"status_{rec.status}", lang)
            if rec.year in s.hidden:
                note += "; " + s.hidden[rec.year]
            if rec.year in s.flags:
                note += "; " + labels.ui("csv_flag", lang, items="; ".join(s.flags[rec.year]))
            rows.append({labels.ui("col_country", lang): country, labels.ui("col_series", lang): s.label,
                         labels.ui("col_year", lang): rec.year,
                         labels.ui("col_value", lang): "" if rec.status != S.VALUE else int(rec.count),
                         labels.ui("col_suppressed", lang): labels.ui("yes" if rec.status == S.SUPPRESSED else "no", lang),
                         labels.ui("col_note", lang): note})
    return pd.DataFrame(rows)


def _no_counts(series: list[Series], what: str, country: str, lang: str, what_text: str = "") -> NoChart | None:
    """A sentence instead of a chart when no series has a single count."""
    if any(S.has_counts(s.status) for s in series):
        return None
    years = sorted({y for s in series for y in S.reported_years(s.status)})
    return NoChart(sentences.only_suppressed(what, country, years, lang, what_text))


def _partial(total: pd.DataFrame, parts: list[pd.DataFrame], breakdown: str, lang: str) -> dict[int, str]:
    """Years whose breakdown covers only part of the total, with the coverage in words."""
    out = {}
    for year, cov in S.breakdown_coverage(total, parts).items():
        if cov.partial:
            out[year] = sentences.coverage(breakdown, cov, lang)
    # A part with several differing figures leaves the coverage unknown: not drawn as complete.
    for year in S.counted(total)["year"]:
        if any(((p["year"] == year) & (p["status"] == S.AMBIGUOUS)).any() for p in parts):
            out[int(year)] = labels.ui("coverage_unknown", lang, year=int(year))
    return out


def _status_notes(series: list[Series], lang: str) -> list[str]:
    ambiguous = sorted({int(y) for s in series for y in S.reported_years(s.status, S.AMBIGUOUS)})
    notes = [labels.ui("note_ambiguous", lang, years=labels.join([str(y) for y in ambiguous], lang))] if ambiguous else []
    return notes


def _hidden_notes(groups: list[tuple[str, dict[int, str]]], lang: str) -> list[str]:
    notes = []
    for breakdown, hidden in groups:
        if hidden:
            notes.append(labels.ui("note_partial_breakdown", lang, breakdown=labels.ui(f"breakdown_{breakdown}", lang),
                                   details="; ".join(hidden[y] for y in sorted(hidden))))
    return notes


def victims(rows: pd.DataFrame, country: str, lang: str, flagged: pd.DataFrame) -> Chart | NoChart:
    """Detected victims by year: total, by sex and by age, each where reported."""
    if S.pick(rows, indicator="detected_victims").empty:
        return NoChart(labels.ui("no_data_victims", lang, country=country))
    if S.pick(rows, indicator="detected_victims", dimension="total").empty:
        # Other breakdowns only (by form, citizenship…): say which, never "no figures".
        found = S.latest_reported(rows, "detected_victims")
        return NoChart(labels.ui("victims_other_breakdowns", lang, country=country,
                                 breakdowns=sentences.breakdowns_text(found.breakdowns, lang),
                                 span=labels.year_span([found.first_year, found.year])))
    mine = S.pick(rows, indicator="detected_victims", dimension="total", category="total")
    total = S.year_status(S.pick(mine, sex="total", age="total"))
    flags = sentences.flags_by_year(flagged, "detected_victims", ("total", "sex", "age"), lang)
    groups = {}
    for name, spec in (("sex", SEX), ("age", AGE)):
        fixed = "age" if name == "sex" else "sex"
        statuses = [S.year_status(S.pick(mine, **{fixed: "total", domain: code})) for domain, code, _ in spec]
        extra = "other" if name == "sex" else "unknown"
        coverage_parts = statuses + [S.year_status(S.pick(mine, **{fixed: "total", name: extra}))]
        hidden = _partial(total, coverage_parts, name, lang)
        groups[name] = ([Series(labels.label(domain, code, lang), colour, st, hidden, flags)
                         for (domain, code, colour), st in zip(spec, statuses) if not st.empty], hidden)
    panels = [(labels.ui("panel_total", lang), [Series(labels.label("sex", "total", lang), MAIN, total, flags=flags)] if not total.empty else []),
              (labels.ui("panel_by_sex", lang), groups["sex"][0]),
              (labels.ui("panel_by_age", lang), groups["age"][0])]
    panels = [(t, group) for t, group in panels if group]
    everything = [s for _, group in panels for s in group]
    # Without a national total the sentence is about the breakdowns drawn (Haiti: by age), not
    # about every figure of detected victims (its counts by country of repatriation).
    drawn = tuple(name for name in ("sex", "age") if groups[name][0])
    what_text = "" if not total.empty else labels.ui("what_victims_by", lang,
                                                     breakdowns=sentences.breakdowns_text(drawn, lang))
    none = _no_counts(everything, "victims", country, lang, what_text)
    if none:
        return none
    fig = _panels(panels, source_id(rows), lang)
    first, last = _span(everything)
    alt = sentences.victims_alt(total, country, first, last, lang)
    notes = (_status_notes(everything, lang) + _hidden_notes([("sex", groups["sex"][1]), ("age", groups["age"][1])], lang)
             + sentences.data_notes(flagged, "detected_victims", ("total", "sex", "age"), lang))
    return Chart(fig, _table(everything, country, lang), labels.ui("victims_caption", lang), alt,
                 [source_id(rows)], notes)


def _one_panel(series: list[Series], rows: pd.DataFrame, country: str, lang: str, key: str, panel: str,
               notes: list[str]) -> Chart | NoChart:
    none = _no_counts(series, key, country, lang)
    if none:
        return none
    fig = _panels([(labels.ui(panel, lang), series)], source_id(rows), lang)
    first, last = _span(series)
    # The alt text describes what is drawn: hidden (partial) years are not "the latest".
    parts = [s.alt_phrase(rows, lang) for s in series if not s.shown().empty]
    alt = labels.ui(f"{key}_alt", lang, country=country, span=f"{first}–{last}", parts="; ".join(parts))
    return Chart(fig, _table(series, country, lang), labels.ui(f"{key}_caption", lang), alt, [source_id(rows)],
                 _status_notes(series, lang) + notes)


def justice(rows: pd.DataFrame, country: str, lang: str, flagged: pd.DataFrame) -> Chart | NoChart:
    """Persons prosecuted and persons convicted by year."""
    series = []
    for indicator, colour in (("prosecuted", MAIN), ("convicted", style.OKABE_ITO[3])):
        status = S.national(rows, indicator)
        if not status.empty:
            series.append(Series(labels.label("indicator", indicator, lang), colour, status,
                                 flags=sentences.flags_by_year(flagged, indicator, ("total",), lang),
                                 indicator=indicator))
    if not series:
        return NoChart(labels.ui("no_data_justice", lang, country=country))
    notes = (sentences.data_notes(flagged, "prosecuted", ("total",), lang)
             + sentences.data_notes(flagged, "convicted", ("total",), lang))
    return _one_panel(series, rows, country, lang, "justice", "panel_persons", notes)


def forms(rows: pd.DataFrame, country: str, lang: str, flagged: pd.DataFrame) -> Chart | NoChart:
    """Detected victims by form of exploitation, by year; years whose forms cover only part of
    the total are left out and said so."""
    victims_rows = S.pick(rows, indicator="detected_victims")
    statuses = {form: S.year_status(S.pick(victims_rows, dimension="form", category=form, sex="total", age="total"))
                for form in FORM_COLOURS}
    if all(st.empty for st in statuses.values()):
        return NoChart(labels.ui("no_data_forms", lang, country=country))
    total = S.national(rows, "detected_victims")
    hidden = _partial(total, list(statuses.values()), "form", lang)
    flags = sentences.flags_by_year(flagged, "detected_victims", ("form",), lang)
    series = [Series(labels.label("form", form, lang), FORM_COLOURS[form], st, hidden, flags)
              for form, st in statuses.items() if not st.empty]
    notes = _hidden_notes([("form", hidden)], lang) + sentences.data_notes(flagged, "detected_victims", ("form",), lang)
    return _one_panel(series, rows, country, lang, "forms", "panel_victims", notes)


SPECIAL_PLACES = ("other", "unknown", "unclassified", "unspecified", "total", "abroad")


def _citizenship_name(category: str, iso3: str, country: str, lang: str) -> tuple[int, str]:
    """Sort rank and label: nationals first, other states next, unknown and the like last."""
    if category in ("nationals", iso3):
        return 0, labels.ui("nationals_of", lang, country=country)
    if category in SPECIAL_PLACES:
        return 3, labels.label("place", category, lang)
    return 1, labels.country(category, lang)


@dataclass
class CitizenshipYear:
    """The year the citizenship chart shows, why, and what the later years hold."""
    year: int
    why: str                      # 'complete', 'exceeds', 'most', 'no_total', 'nationals', 'latest'
    coverage: S.Coverage | None   # of ``year``, when it has a counted national total
    later_small: list[int]        # later years with nationals covering under half the total
    later_without: list[int]      # later years without a separate figure for nationals


def citizenship_year(cit: pd.DataFrame, total: pd.DataFrame, iso3: str) -> CitizenshipYear:
    """The latest year whose breakdown includes the state's own nationals and accounts for at
    least half of the year's total (or has no total to compare with); else the latest year with
    nationals; else the latest year. The notes say how much of the total the year covers."""
    years = sorted({int(y) for y in cit["year"]})
    with_nationals = sorted({int(y) for y in cit.loc[cit["category"].isin(["nationals", iso3]), "year"]})
    coverage = {}
    for year in with_nationals:
        coverage[year] = S.breakdown_coverage(total, S.citizenship_parts(S.pick(cit, year=year))).get(year)
    enough = [y for y in with_nationals if coverage[y] is None or 2 * coverage[y].high >= coverage[y].total]
    if enough:
        year = enough[-1]
        cov = coverage[year]
        why = "no_total" if cov is None else "exceeds" if cov.exceeds else "most" if cov.partial else "complete"
    elif with_nationals:
        year, why = with_nationals[-1], "nationals"
        cov = coverage[year]
    else:
        year, why, cov = years[-1], "latest", None
    later = [y for y in years if y > year]
    return CitizenshipYear(year, why, cov, [y for y in later if y in coverage],
                           [y for y in later if y not in coverage])


def citizenship(rows: pd.DataFrame, iso3: str, country: str, lang: str, flagged: pd.DataFrame,
                top: int = 10) -> Chart | NoChart:
    """Detected victims by citizenship: the state's own nationals against other citizenships, in
    the latest year with a complete breakdown that includes nationals (the caption says which
    year and why)."""
    cit = S.pick(rows, indicator="detected_victims", dimension="citizenship", sex="total", age="total")
    if cit.empty:
        return NoChart(labels.ui("no_data_citizenship", lang, country=country))
    total = S.national(rows, "detected_victims")
    chosen = citizenship_year(cit, total, iso3)
    year = chosen.year
    bars = []
    for category, group in S.pick(cit, year=year).groupby("category"):
        status = S.year_status(group).iloc[0]
        rank, name = _citizenship_name(category, iso3, country, lang)
        if rank == 1 and status["status"] != S.VALUE:
            rank = 2
        count = int(status["count"]) if status["status"] == S.VALUE else -1
        bars.append({"rank": rank, "count": count, "name": name, "status": status["status"]})
    if not any(b["status"] == S.VALUE for b in bars):
        return NoChart(sentences.only_suppressed("citizenship", country, [year], lang))
    bars = sorted(bars, key=lambda b: (b["rank"], -b["count"], layout.collation_key(b["name"])))
    shown, hidden = bars[:top], bars[top:]
    with style.context():
        fig, ax = plt.subplots(figsize=(style.WIDTH_IN, 0.3 + 0.42 * len(shown)))
        ypos = list(range(len(shown)))[::-1]
        peak = max([b["count"] for b in shown] + [1])
        for y, bar in zip(ypos, shown):
            colour = MAIN if bar["rank"] == 0 else style.OKABE_ITO[5] if bar["rank"] < 3 else style.LIGHT
            if bar["status"] == S.VALUE:
                ax.barh(y, bar["count"], color=colour, height=0.7)
                ax.text(bar["count"] + peak * 0.01, y, labels.number(bar["count"], lang), va="center", fontsize=10.5)
            else:
                ax.text(peak * 0.01, y, layout.status_text(bar["status"], lang), va="center", fontsize=10.5,
                        color=style.GREY, style="italic")
        ax.set_yticks(ypos, [b["name"] for b in shown])
        ax.set_xlim(0, peak * 1.15)
        ax.xaxis.set_visible(False)
        ax.grid(False)
        ax.spines["bottom"].set_visible(False)
        layout.finish(fig, [source_id(rows)], lang)
    notes = [sentences.citizenship_year_note(chosen, country, lang)]
    if hidden:
        notes.append(labels.ui_n("note_more_in_csv", len(hidden), lang))
    if any(b["status"] == S.SUPPRESSED for b in shown):
        notes.append(labels.ui("note_suppressed_text", lang))
    notes += sentences.data_notes(flagged, "detected_victims", ("citizenship",), lang)
    national = next((b for b in bars if b["rank"] == 0), None)
    foreign = [b for b in bars if b["rank"] in (1, 2)]
    alt = sentences.citizenship_alt(country, year, national, foreign, lang)
    flags = sentences.flags_by_year(flagged, "detected_victims", ("citizenship",), lang)
    table = pd.DataFrame([{
        labels.ui("col_country", lang): country, labels.ui("col_year", lang): int(r.year),
        labels.ui("col_citizenship", lang): _citizenship_name(r.category, iso3, country, lang)[1],
        labels.ui("col_as_in_source", lang): r.category_raw,
        labels.ui("col_value", lang): "" if r.value == "<5" else int(r.value),
        labels.ui("col_suppressed", lang): labels.ui("yes" if r.value == "<5" else "no", lang),
        labels.ui("col_note", lang): labels.ui("csv_flag", lang, items="; ".join(flags[int(r.year)]))
        if int(r.year) in flags else "",
    } for r in cit.sort_values(["year", "category", "seq"]).itertuples(index=False)])
    caption = labels.ui("citizenship_caption", lang, year=year)
    return Chart(fig, table, caption, alt, [source_id(rows)], notes)
