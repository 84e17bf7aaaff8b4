"""Charts: pure functions from tidy tables and a language to a :class:`tipkb.page.Chart`.

Rules every chart follows: labels come from the codebook in the page's language; numbers are
formatted for the language; a suppressed count (``<5``) is drawn as suppressed, never as a number
or zero; a year without data is a gap, never zero; the source line and data date are drawn under
the chart as well as written in the caption.
"""
from __future__ import annotations

import textwrap

import matplotlib

matplotlib.use("agg")  # charts are saved to files by tipkb.page, never shown inline
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from . import labels, style  # noqa: E402
from .page import Chart, source_line  # noqa: E402

SUBREGION_ORDER = ["northern_america", "central_america", "caribbean", "south_america"]


def ordered_countries(countries: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Member states by subregion, then by name in the page's language."""
    rank = {code: i for i, code in enumerate(SUBREGION_ORDER)}
    out = countries.assign(_sub=countries["subregion"].map(rank), _name=countries[f"name_{lang}"])
    return out.sort_values(["_sub", "_name"]).drop(columns=["_sub", "_name"]).reset_index(drop=True)


def _finish(fig, title: str, source_ids: list[str], lang: str, handles: list | None = None) -> None:
    """Title at the top, legend and source line at the bottom, plot area in between.

    The figure is created at the size of its plot area; this adds the height the title, legend
    and source line need, so short charts are not squashed. Everything is inside the figure, so
    saving needs no ``bbox_inches="tight"`` (which would draw the whole figure a second time).
    Long texts wrap instead of running off the image."""
    import math

    width_in, plot_in = fig.get_size_inches()
    title_lines = textwrap.wrap(title, width=int(width_in * 7.2))
    source_lines = textwrap.wrap(source_line(source_ids, lang), width=int(width_in * 13.5))
    columns = rows = 0
    if handles:
        columns = 1 if max(len(h.get_label()) for h in handles) > 30 else 2
        rows = math.ceil(len(handles) / columns)
    top_in = 0.15 + 0.27 * len(title_lines)
    source_in = 0.12 + 0.17 * len(source_lines)
    bottom_in = source_in + (0.1 + 0.27 * rows if rows else 0)
    height_in = plot_in + top_in + bottom_in
    fig.set_size_inches(width_in, height_in)
    fig.text(0.012, 1 - 0.1 / height_in, "\n".join(title_lines), ha="left", va="top", fontsize=14, fontweight="bold")
    fig.text(0.012, 0.06 / height_in, "\n".join(source_lines), ha="left", va="bottom", fontsize=9.5, color=style.GREY)
    if handles:
        fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, source_in / height_in), ncols=columns,
                   fontsize=10.5, frameon=False, handlelength=1.8, columnspacing=1.2, borderaxespad=0.2)
    fig.tight_layout(rect=(0, bottom_in / height_in, 1, 1 - top_in / height_in))


def coverage(presence: pd.DataFrame, countries: pd.DataFrame, years: range, title: str, source_ids: list[str],
             lang: str) -> Chart:
    """Which member states have data in which years: one row per state, one column per year.

    ``presence`` has columns iso3 and year (one row per country-year with data).
    """
    order = ordered_countries(countries, lang)
    have = set(zip(presence["iso3"], presence["year"].astype(int)))
    grid = pd.DataFrame([[1 if (iso, y) in have else 0 for y in years] for iso in order["iso3"]],
                        index=order["iso3"], columns=list(years))
    with style.context():
        fig, ax = plt.subplots(figsize=(style.WIDTH_IN, 0.2 * len(order) + 0.8))
        cmap = matplotlib.colors.ListedColormap([style.LIGHT, style.OKABE_ITO[0]])
        ax.imshow(grid.values, aspect="auto", cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
        ax.set_yticks(range(len(order)), order[f"name_{lang}"], fontsize=9)
        step = 2 if len(years) > 12 else 1
        ax.set_xticks(range(0, len(years), step), [str(y) for y in years][::step], fontsize=9, rotation=90)
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.tick_params(length=0)
        # Thin white lines between subregions.
        subregions = order["subregion"].tolist()
        for b in range(1, len(subregions)):
            if subregions[b] != subregions[b - 1]:
                ax.axhline(b - 0.5, color="white", linewidth=3)
        _finish(fig, title, source_ids, lang)
    n_states = int((grid.sum(axis=1) > 0).sum())
    span = labels.year_span([y for (_, y) in have]) if have else ""
    alt = labels.ui("coverage_alt", lang, n=n_states, total=len(order), years=span)
    table = pd.DataFrame({
        labels.ui("col_country", lang): [labels.country(i, lang) for i in order["iso3"] for _ in years],
        labels.ui("col_iso3", lang): [i for i in order["iso3"] for _ in years],
        labels.ui("col_year", lang): [y for _ in order["iso3"] for y in years],
        labels.ui("col_has_data", lang): [labels.ui("yes" if grid.loc[i, y] else "no", lang)
                                          for i in order["iso3"] for y in years],
    })
    caption = labels.ui("coverage_caption", lang)
    return Chart(fig, table, title, caption, alt, source_ids)


# ---------------------------------------------------------------------------------------------
# Year series (UNODC counts, scores, tiers)

from . import series as S  # noqa: E402


def _int_axis(ax, lang: str) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True, min_n_ticks=3))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: labels.number(int(v), lang) if v >= 0 else ""))
    ax.set_ylim(bottom=0)


def _year_axis(ax, first: int, last: int) -> None:
    span = last - first
    step = 1 if span <= 6 else 2 if span <= 12 else 4
    start = first - (first % step) if step > 1 else first
    ax.set_xticks([y for y in range(start, last + 1, step) if y >= first])
    ax.set_xlim(first - 0.6, last + 0.6)
    ax.grid(axis="x", visible=False)


def _draw_counts(ax, named: list[tuple[str, str, pd.DataFrame]], first: int, last: int, lang: str,
                 marker_size: float = 5.5) -> bool:
    """Lines with gaps for missing, suppressed and ambiguous years; suppressed years get a hollow
    marker on the baseline (drawn for what it is, never as a zero on the line). Returns whether
    any suppressed year was drawn."""
    years = list(range(first, last + 1))
    any_suppressed = False
    for label, colour, status in named:
        full = status.set_index("year").reindex(years)
        counts = full["count"].astype("Float64").where(full["status"] == S.VALUE)
        ax.plot(years, counts.astype(float), color=colour, marker="o", markersize=marker_size, linewidth=2.2, label=label)
        supp = [y for y in years if full.loc[y, "status"] == S.SUPPRESSED]
        if supp:
            any_suppressed = True
            ax.plot(supp, [0] * len(supp), linestyle="none", marker="v", markersize=marker_size + 2.5,
                    markerfacecolor="white", markeredgecolor=colour, markeredgewidth=1.6, clip_on=False)
    _int_axis(ax, lang)
    _year_axis(ax, first, last)
    return any_suppressed


def _suppressed_handle(lang: str):
    from matplotlib.lines import Line2D

    return Line2D([], [], linestyle="none", marker="v", markersize=8, markerfacecolor="white",
                  markeredgecolor=style.GREY, markeredgewidth=1.6, label=labels.ui("suppressed_legend", lang))


def _series_table(named: list[tuple[str, str, pd.DataFrame]], country: str, lang: str) -> pd.DataFrame:
    """The chart's data, one row per series and year, with counts as the source gives them."""
    rows = []
    for label, _, status in named:
        for rec in status.itertuples(index=False):
            value = {S.VALUE: str(rec.count), S.SUPPRESSED: "<5", S.AMBIGUOUS: ""}[rec.status]
            rows.append({labels.ui("col_country", lang): country, labels.ui("col_series", lang): label,
                         labels.ui("col_year", lang): rec.year, labels.ui("col_value", lang): value,
                         labels.ui("col_note", lang): labels.ui(f"status_{rec.status}", lang)})
    return pd.DataFrame(rows)


def _status_notes(named, lang: str) -> list[str]:
    notes = []
    ambiguous = sorted({int(y) for _, _, st in named for y in st.loc[st["status"] == S.AMBIGUOUS, "year"]})
    if ambiguous:
        notes.append(labels.ui("note_ambiguous", lang, years=", ".join(map(str, ambiguous))))
    return notes


def _span(named) -> tuple[int, int] | None:
    years = [int(y) for _, _, st in named for y in st["year"]]
    return (min(years), max(years)) if years else None


def _panels_chart(panels: list[tuple[str, list[tuple[str, str, pd.DataFrame]]]], title: str, country: str,
                  source_ids: list[str], lang: str) -> tuple[object, bool]:
    """Stacked panels sharing the year axis; each panel one or more count series."""
    first, last = _span([s for _, named in panels for s in named])
    with style.context():
        fig, axes = plt.subplots(len(panels), 1, figsize=(style.WIDTH_IN, 2.2 * len(panels)),
                                 sharex=True, squeeze=False)
        suppressed = False
        handles, seen = [], set()
        for ax, (panel_title, named) in zip(axes[:, 0], panels):
            suppressed |= _draw_counts(ax, named, first, last, lang)
            if len(panels) > 1:
                ax.set_title(panel_title, fontsize=12.5, loc="left")
            for handle in ax.get_legend_handles_labels()[0]:
                if handle.get_label() not in seen and (len(named) > 1 or len(panels) == 1):
                    seen.add(handle.get_label())
                    handles.append(handle)
        if suppressed:
            handles.append(_suppressed_handle(lang))
        _finish(fig, title, source_ids, lang, handles if len(handles) > 1 or suppressed else None)
    return fig, suppressed


GLOTIP = "unodc-glotip-2025"


def victims(rows: pd.DataFrame, country: str, lang: str) -> Chart | None:
    """Detected victims by year: total, by sex and by age, each where reported."""
    def series(**key):
        return S.year_status(S.pick(rows, indicator="detected_victims", dimension="total", category="total", **key))

    candidates = [
        (labels.ui("panel_total", lang), [(labels.label("sex", "total", lang), style.OKABE_ITO[0], series(sex="total", age="total"))]),
        (labels.ui("panel_by_sex", lang), [(labels.label("sex", "female", lang), style.OKABE_ITO[3], series(sex="female", age="total")),
                                           (labels.label("sex", "male", lang), style.OKABE_ITO[5], series(sex="male", age="total"))]),
        (labels.ui("panel_by_age", lang), [(labels.label("age", "children", lang), style.OKABE_ITO[1], series(sex="total", age="children")),
                                           (labels.label("age", "adults", lang), style.OKABE_ITO[2], series(sex="total", age="adults"))]),
    ]
    panels = [(t, [s for s in named if not s[2].empty]) for t, named in candidates]
    panels = [(t, named) for t, named in panels if named]
    if not panels:
        return None
    title = labels.ui("victims_title", lang, country=country)
    fig, _ = _panels_chart(panels, title, country, [GLOTIP], lang)
    named = [s for _, n in panels for s in n]
    total = panels[0][1][0][2] if panels[0][0] == labels.ui("panel_total", lang) else None
    alt = _victims_alt(total, named, country, lang)
    caption = labels.ui("victims_caption", lang)
    return Chart(fig, _series_table(named, country, lang), title, caption, alt, [GLOTIP], _status_notes(named, lang))


def _victims_alt(total, named, country: str, lang: str) -> str:
    first, last = _span(named)
    if total is not None and S.latest(total) is not None:
        latest = S.latest(total)
        counted = total[total["status"] == S.VALUE]
        peak = counted.loc[counted["count"].idxmax()]
        return labels.ui("victims_alt", lang, country=country, n=labels.number(int(latest["count"]), lang),
                         year=int(latest["year"]), peak=labels.number(int(peak["count"]), lang),
                         peak_year=int(peak["year"]), span=f"{first}–{last}")
    return labels.ui("series_alt_partial", lang, country=country, span=f"{first}–{last}")


def _series_chart(named, country: str, lang: str, key: str, panel: str) -> Chart | None:
    """One panel of count series; title, caption and alt text from the codebook keys
    ``<key>_title``, ``<key>_caption`` and ``<key>_alt``."""
    if not named:
        return None
    title = labels.ui(f"{key}_title", lang, country=country)
    fig, _ = _panels_chart([(labels.ui(panel, lang), named)], title, country, [GLOTIP], lang)
    parts = []
    for label, _, status in named:
        latest = S.latest(status)
        if latest is not None:
            parts.append(labels.ui("latest_part", lang, what=label, n=labels.number(int(latest["count"]), lang),
                                   year=int(latest["year"])))
    first, last = _span(named)
    alt = labels.ui(f"{key}_alt", lang, country=country, span=f"{first}–{last}",
                    parts="; ".join(parts) or labels.ui("only_suppressed", lang))
    return Chart(fig, _series_table(named, country, lang), title, labels.ui(f"{key}_caption", lang), alt,
                 [GLOTIP], _status_notes(named, lang))


def _named_series(rows: pd.DataFrame, series: list[tuple[str, str, dict]]) -> list:
    """(label, colour, year status) for each series that has rows; ``series`` gives the filters."""
    named = []
    for label, colour, key in series:
        status = S.year_status(S.pick(rows, sex="total", age="total", **key))
        if not status.empty:
            named.append((label, colour, status))
    return named


def justice(rows: pd.DataFrame, country: str, lang: str) -> Chart | None:
    """Persons prosecuted and persons convicted by year."""
    named = _named_series(rows, [(labels.label("indicator", ind, lang), colour,
                                  {"indicator": ind, "dimension": "total", "category": "total"})
                                 for ind, colour in (("prosecuted", style.OKABE_ITO[0]), ("convicted", style.OKABE_ITO[3]))])
    return _series_chart(named, country, lang, "justice", "panel_persons")


FORM_COLOURS = {"sexual_exploitation": style.OKABE_ITO[4], "forced_labour": style.OKABE_ITO[2], "other_forms": style.OKABE_ITO[1]}


def forms(rows: pd.DataFrame, country: str, lang: str) -> Chart | None:
    """Detected victims by form of exploitation, by year."""
    named = _named_series(rows, [(labels.label("form", form, lang), colour,
                                  {"indicator": "detected_victims", "dimension": "form", "category": form})
                                 for form, colour in FORM_COLOURS.items()])
    return _series_chart(named, country, lang, "forms", "panel_victims")


SPECIAL_PLACES = ("other", "unknown", "unclassified", "unspecified", "total", "abroad")


def citizenship(rows: pd.DataFrame, iso3: str, country: str, lang: str, top: int = 10) -> Chart | None:
    """Detected victims by citizenship in the most recent year with such data."""
    cit = S.pick(rows, indicator="detected_victims", dimension="citizenship", sex="total", age="total")
    if cit.empty:
        return None
    year = int(cit["year"].max())
    bars = []
    for category, group in S.pick(cit, year=year).groupby("category"):
        status = S.year_status(group).iloc[0]
        if category in ("nationals", iso3):
            rank, name = 0, labels.ui("nationals_of", lang, country=country)
        elif category in SPECIAL_PLACES:
            rank, name = 3, labels.label("place", category, lang)
        else:
            rank, name = 1 if status["status"] == S.VALUE else 2, labels.country(category, lang)
        count = int(status["count"]) if status["status"] == S.VALUE else -1
        bars.append({"rank": rank, "count": count, "name": name, "status": status["status"], "category": category})
    bars = sorted(bars, key=lambda b: (b["rank"], -b["count"], b["name"]))
    shown, hidden = bars[:top], bars[top:]
    with style.context():
        fig, ax = plt.subplots(figsize=(style.WIDTH_IN, 0.3 + 0.42 * len(shown)))
        ypos = list(range(len(shown)))[::-1]
        peak = max([b["count"] for b in shown] + [1])
        for y, bar in zip(ypos, shown):
            colour = style.OKABE_ITO[0] if bar["rank"] == 0 else style.OKABE_ITO[5] if bar["rank"] < 3 else style.LIGHT
            if bar["status"] == S.VALUE:
                ax.barh(y, bar["count"], color=colour, height=0.7)
                ax.text(bar["count"] + peak * 0.01, y, labels.number(bar["count"], lang), va="center", fontsize=10.5)
            else:
                text = "<5" if bar["status"] == S.SUPPRESSED else labels.ui("status_ambiguous_short", lang)
                ax.text(peak * 0.01, y, text, va="center", fontsize=10.5, color=style.GREY, style="italic")
        ax.set_yticks(ypos, [b["name"] for b in shown])
        ax.set_xlim(0, peak * 1.15)
        ax.xaxis.set_visible(False)
        ax.grid(False)
        ax.spines["bottom"].set_visible(False)
        title = labels.ui("citizenship_title", lang, country=country, year=year)
        _finish(fig, title, [GLOTIP], lang)
    notes = [labels.ui("note_more_in_csv", lang, n=len(hidden))] if hidden else []
    if any(b["status"] == S.SUPPRESSED for b in shown):
        notes.append(labels.ui("note_suppressed_text", lang))
    national = next((b for b in bars if b["rank"] == 0), None)
    foreign = [b for b in bars if b["rank"] in (1, 2)]
    alt = labels.ui("citizenship_alt", lang, country=country, year=year,
                    nationals=(labels.number(national["count"], lang) if national and national["status"] == S.VALUE
                               else "<5" if national and national["status"] == S.SUPPRESSED else labels.ui("not_reported", lang)),
                    n_foreign=len(foreign),
                    main=", ".join(b["name"] for b in foreign[:3]) or labels.ui("none", lang))
    table = pd.DataFrame([{
        labels.ui("col_country", lang): country, labels.ui("col_year", lang): int(r.year),
        labels.ui("col_citizenship", lang): (labels.ui("nationals_of", lang, country=country) if r.category in ("nationals", iso3)
                                             else labels.label("place", r.category, lang) if r.category in SPECIAL_PLACES
                                             else labels.country(r.category, lang)),
        labels.ui("col_as_in_source", lang): r.category_raw, labels.ui("col_value", lang): r.value,
    } for r in cit.sort_values(["year", "category", "seq"]).itertuples(index=False)])
    return Chart(fig, table, title, labels.ui("citizenship_caption", lang), alt, [GLOTIP], notes)


P3_PARTS = ("prosecution", "protection", "prevention", "total")
P3_SOURCE = "cho-3p-index"


def p3(country_rows: pd.DataFrame, all_rows: pd.DataFrame, country: str, lang: str) -> Chart | None:
    """3P scores by year against the median of the member states scored that year."""
    if country_rows.empty:
        return None
    years = sorted(all_rows["year"].dropna().astype(int).unique())
    first, last = years[0], years[-1]
    medians = all_rows.groupby("year")[list(P3_PARTS)].median()
    counts = all_rows.groupby("year")[list(P3_PARTS)].count()
    mine = country_rows.set_index("year")
    with style.context():
        fig, axes = plt.subplots(2, 2, figsize=(style.WIDTH_IN, 4.4), sharex=True)
        for ax, part in zip(axes.flat, P3_PARTS):
            ys = [mine[part].get(y, pd.NA) if y in mine.index else pd.NA for y in years]
            ax.plot(years, [float(v) if pd.notna(v) else float("nan") for v in ys], color=style.OKABE_ITO[0],
                    marker="o", markersize=4, linewidth=2.2, label=country)
            ax.plot(years, [float(medians.loc[y, part]) for y in years], color=style.GREY, linestyle="--",
                    linewidth=1.6, label=labels.ui("oas_median", lang))
            top = 15 if part == "total" else 5
            low = 3 if part == "total" else 1
            ax.set_ylim(low - 0.3, top + 0.3)
            ax.set_yticks(range(low, top + 1, 3 if part == "total" else 1))
            ax.set_title(labels.label("p3", part, lang), fontsize=12, loc="left")
            _year_axis(ax, first, last)
            ax.tick_params(axis="x", labelrotation=0, labelsize=9.5)
        title = labels.ui("p3_title", lang, country=country)
        _finish(fig, title, [P3_SOURCE], lang, axes[0, 0].get_legend_handles_labels()[0])
    scored = mine["total"].dropna()
    if len(scored):
        y0, y1 = int(scored.index.min()), int(scored.index.max())
        alt = labels.ui("p3_alt", lang, country=country, first=y0, last=y1, v0=labels.number(int(scored[y0]), lang),
                        v1=labels.number(int(scored[y1]), lang), median=labels.number(float(medians.loc[y1, "total"]), lang))
    else:
        alt = labels.ui("p3_alt_partial", lang, country=country)
    table = []
    for y in years:
        for part in P3_PARTS:
            value = mine[part].get(y, pd.NA) if y in mine.index else pd.NA
            table.append({labels.ui("col_country", lang): country, labels.ui("col_year", lang): y,
                          labels.ui("col_measure", lang): labels.label("p3", part, lang),
                          labels.ui("col_value", lang): "" if pd.isna(value) else int(value),
                          labels.ui("oas_median", lang): float(medians.loc[y, part]),
                          labels.ui("col_states_scored", lang): int(counts.loc[y, part])})
    return Chart(fig, pd.DataFrame(table), title, labels.ui("p3_caption", lang), alt, [P3_SOURCE])


TIER_ORDER = ["tier3", "tier2_watch", "tier2", "tier1"]  # bottom to top
TIER_SOURCE = "kelley-heiss-tiers"


def tiers(rows: pd.DataFrame, country: str, lang: str, changes: pd.DataFrame) -> Chart | None:
    """US TIP Report tier by report year, as published; ``changes`` (tip_tier_changes rows) are
    placements changed after publication, told in a note with their source."""
    if rows.empty:
        return None
    years = list(range(2001, 2016))
    by_year = dict(zip(rows["year"].astype(int), rows["tier"]))
    level = [TIER_ORDER.index(by_year[y]) if y in by_year else float("nan") for y in years]
    with style.context():
        fig, ax = plt.subplots(figsize=(style.WIDTH_IN, 2.8))
        ax.plot(years, level, color=style.OKABE_ITO[0], marker="o", markersize=7, linewidth=2, drawstyle="steps-mid")
        ax.set_yticks(range(4), [textwrap.fill(labels.label("tier", t, lang), 24) for t in TIER_ORDER])
        ax.set_ylim(-0.5, 3.5)
        _year_axis(ax, years[0], years[-1])
        ax.grid(axis="y", visible=True)
        title = labels.ui("tiers_title", lang, country=country)
        _finish(fig, title, [TIER_SOURCE], lang)
    last_year = max(by_year)
    missing = [y for y in years if y not in by_year]
    alt = labels.ui("tiers_alt", lang, country=country, year=last_year, tier=labels.label("tier", by_year[last_year], lang),
                    first=min(by_year), n=len(by_year))
    notes = [labels.ui("note_tier_gaps", lang, years=", ".join(map(str, missing)))] if missing else []
    for change in changes.itertuples():
        notes.append(labels.ui("note_tier_change", lang, year=change.year, country=country,
                               before=labels.label("tier", by_year[int(change.year)], lang),
                               date=labels.date(change.changed_on, lang), after=labels.label("tier", change.tier_after, lang)))
    table = pd.DataFrame([{labels.ui("col_country", lang): country, labels.ui("col_report_year", lang): y,
                           labels.ui("col_tier", lang): labels.label("tier", by_year[y], lang) if y in by_year else ""}
                          for y in years])
    sources = [TIER_SOURCE] + sorted(set(changes["source_id"]))
    return Chart(fig, table, title, labels.ui("tiers_caption", lang), alt, sources, notes)


def practice_counts(counts: pd.DataFrame, countries: pd.DataFrame, lang: str) -> Chart:
    """A grid of states x questionnaire areas with the number of practices confirmed in sources."""
    order = ordered_countries(countries, lang)
    areas = list(counts.columns)
    grid = counts.reindex(order["iso3"]).fillna(0).astype(int)
    with style.context():
        fig, ax = plt.subplots(figsize=(style.WIDTH_IN, 0.24 * len(order) + 0.9))
        cmap = matplotlib.colors.LinearSegmentedColormap.from_list("kb", ["#f2f2f2", style.OKABE_ITO[0]])
        ax.imshow(grid.values, aspect="auto", cmap=cmap, vmin=0, vmax=max(3, int(grid.values.max())))
        for i in range(grid.shape[0]):
            for j in range(grid.shape[1]):
                value = int(grid.iat[i, j])
                ax.text(j, i, labels.number(value, lang), ha="center", va="center", fontsize=9.5,
                        color="white" if value >= 2 else "#333333")
        ax.set_yticks(range(len(order)), order[f"name_{lang}"], fontsize=9)
        ax.set_xticks(range(len(areas)), [labels.label("area", a, lang) for a in areas], fontsize=9.5)
        ax.xaxis.tick_top()
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.tick_params(length=0)
        title = labels.ui("practice_counts_title", lang)
        _finish(fig, title, ["practices-compilation"], lang)
    total = int(grid.values.sum())
    empty = int((grid == 0).values.sum())
    alt = labels.ui("practice_counts_alt", lang, total=labels.number(total, lang), n=len(order), empty=empty)
    table = pd.DataFrame([{labels.ui("col_country", lang): labels.country(iso, lang), labels.ui("col_iso3", lang): iso,
                           **{labels.label("area", a, lang): int(grid.loc[iso, a]) for a in areas}}
                          for iso in order["iso3"]])
    return Chart(fig, table, title, labels.ui("practice_counts_caption", lang), alt, ["practices-compilation"])


# ---------------------------------------------------------------------------------------------
# Regional comparisons (theme pages) and the OAS timeline

def _as_year(text: str, end: bool = False) -> float:
    """'2012' / '2012-07' / '2012-07-15' as a fractional year; ``end`` gives the end of the span."""
    import datetime as dt

    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return parts[0] + (1.0 if end else 0.0)
    if len(parts) == 2:
        return parts[0] + (parts[1] - (0 if end else 1)) / 12
    day = dt.date(*parts)
    return day.year + (day.timetuple().tm_yday - (0 if end else 1)) / 365.25


def timeline(events: pd.DataFrame, lang: str) -> Chart:
    """OAS activities 2010-2012 on a time axis; exact dates as dots, periods as bars (pale and
    hatched where the source gives only the period), planned activities hollow."""
    events = events.assign(_start=events["date_start"].map(_as_year)).sort_values(["_start", "event_id"])
    names = [textwrap.fill(labels.label("oas_event", e, lang), 40) for e in events["event"]]
    lines = [n.count("\n") + 1 for n in names]
    with style.context():
        fig, ax = plt.subplots(figsize=(style.WIDTH_IN, 0.19 * sum(lines) + 0.12 * len(events) + 0.6))
        for y, row in enumerate(events.itertuples(index=False)):
            start, end = _as_year(row.date_start), _as_year(row.date_end, end=True)
            planned = row.status != "completed"
            colour = style.OKABE_ITO[0] if not planned else style.OKABE_ITO[1]
            if row.precision == "day" and end - start < 0.05:
                ax.plot([start + 0.5 / 365], [y], marker="o", markersize=8, color=colour,
                        markerfacecolor="white" if planned else colour, markeredgewidth=2)
            else:
                vague = row.precision in ("period", "year", "season")
                ax.barh(y, end - start, left=start, height=0.55, color=colour if not planned else "white",
                        alpha=0.35 if vague and not planned else 1.0, edgecolor=colour, linewidth=1.6,
                        hatch="///" if vague else None)
        ax.set_yticks(range(len(events)), names, fontsize=8.3)
        ax.invert_yaxis()
        ax.set_xlim(2010, 2014)
        ax.set_xticks([2010, 2011, 2012, 2013, 2014])
        ax.grid(axis="x", visible=True)
        ax.grid(axis="y", visible=False)
        from matplotlib.patches import Patch
        from matplotlib.lines import Line2D
        handles = [Line2D([], [], marker="o", color=style.OKABE_ITO[0], linestyle="none", markersize=8,
                          label=labels.ui("tl_exact", lang)),
                   Patch(facecolor=style.OKABE_ITO[0], alpha=0.35, hatch="///", edgecolor=style.OKABE_ITO[0],
                         label=labels.ui("tl_vague", lang)),
                   Patch(facecolor="white", edgecolor=style.OKABE_ITO[1], linewidth=1.6, label=labels.ui("tl_planned", lang))]
        title = labels.ui("timeline_title", lang)
        _finish(fig, title, sorted(set(events["source_id"])), lang, handles)
    done = int((events["status"] == "completed").sum())
    alt = labels.ui("timeline_alt", lang, n=len(events), done=done, planned=len(events) - done)
    table = pd.DataFrame([{labels.ui("col_activity", lang): labels.label("oas_event", r.event, lang),
                           labels.ui("col_from", lang): r.date_start, labels.ui("col_to", lang): r.date_end,
                           labels.ui("col_precision", lang): labels.label("precision", r.precision, lang),
                           labels.ui("col_countries", lang): "; ".join(labels.country(c, lang) for c in r.countries.split(";") if c),
                           labels.ui("col_status", lang): labels.label("programme_status", r.status, lang)}
                          for r in events.itertuples(index=False)])
    return Chart(fig, table, title, labels.ui("timeline_caption", lang), alt, sorted(set(events["source_id"])))


SUBREGION_COLOURS = {"northern_america": "#0072B2", "central_america": "#B84A00", "caribbean": "#00775A",
                     "south_america": "#9A4B84"}


def subregion_trend(policy: pd.DataFrame, countries: pd.DataFrame, part: str, lang: str) -> Chart:
    """Median 3P sub-index score by subregion and year, with the median of all scored states."""
    merged = policy.merge(countries[["iso3", "subregion"]], on="iso3")
    years = sorted(merged["year"].astype(int).unique())
    with style.context():
        fig, ax = plt.subplots(figsize=(style.WIDTH_IN, 3.2))
        rows = []
        for sub, colour in SUBREGION_COLOURS.items():
            grp = merged[merged["subregion"] == sub].groupby("year")[part]
            med, n = grp.median(), grp.count()
            ax.plot(med.index.astype(int), med.values.astype(float), color=colour, linewidth=2.2, marker="o",
                    markersize=4, label=labels.label("subregion", sub, lang))
            rows += [{labels.ui("col_subregion", lang): labels.label("subregion", sub, lang), labels.ui("col_year", lang): int(y),
                      labels.ui("col_median", lang): float(med[y]), labels.ui("col_states_scored", lang): int(n[y])}
                     for y in med.index]
        overall = merged.groupby("year")[part].median()
        ax.plot(overall.index.astype(int), overall.values.astype(float), color=style.GREY, linestyle="--", linewidth=1.6,
                label=labels.ui("oas_median", lang))
        top, low = (15, 3) if part == "total" else (5, 1)
        ax.set_ylim(low - 0.3, top + 0.3)
        ax.set_yticks(range(low, top + 1, 3 if part == "total" else 1))
        _year_axis(ax, years[0], years[-1])
        title = labels.ui("subregion_trend_title", lang, measure=labels.label("p3", part, lang))
        _finish(fig, title, [P3_SOURCE], lang, ax.get_legend_handles_labels()[0])
    last = years[-1]
    alt = labels.ui("subregion_trend_alt", lang, measure=labels.label("p3", part, lang).lower(), first=years[0], last=last,
                    median=labels.number(float(overall[last]), lang))
    return Chart(fig, pd.DataFrame(rows), title, labels.ui("subregion_trend_caption", lang), alt, [P3_SOURCE])


CRIM_COLOURS = {"none": "#D55E00", "partial": "#E69F00", "full": "#0072B2"}
CRIM_SOURCE = "kelley-simmons-criminalization"


def criminalization(crim: pd.DataFrame, countries: pd.DataFrame, lang: str) -> Chart:
    """Each state's criminalization level in 2001 and in 2014; blank where not coded."""
    order = ordered_countries(countries, lang)
    levels = {(r.iso3, int(r.year)): r.level for r in crim.itertuples(index=False)}
    with style.context():
        fig, ax = plt.subplots(figsize=(style.WIDTH_IN, 0.22 * len(order) + 0.5))
        for i, iso in enumerate(order["iso3"]):
            for j, year in enumerate((2001, 2014)):
                level = levels.get((iso, year))
                if level:
                    ax.add_patch(matplotlib.patches.Rectangle((j - 0.45, i - 0.4), 0.9, 0.8, color=CRIM_COLOURS[level]))
                else:
                    ax.text(j, i, labels.ui("no_data_short", lang), ha="center", va="center", fontsize=8.5, color=style.GREY)
        ax.set_xlim(-0.5, 1.5)
        ax.set_ylim(len(order) - 0.5, -0.5)
        ax.set_xticks([0, 1], ["2001", "2014"])
        ax.xaxis.tick_top()
        ax.set_yticks(range(len(order)), order[f"name_{lang}"], fontsize=9)
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.tick_params(length=0)
        handles = [matplotlib.patches.Patch(color=c, label=labels.label("crim_level", k, lang)) for k, c in CRIM_COLOURS.items()]
        title = labels.ui("crim_title", lang)
        _finish(fig, title, [CRIM_SOURCE], lang, handles)
    full = {y: sum(1 for (i, yy), l in levels.items() if yy == y and l == "full") for y in (2001, 2014)}
    coded = {y: sum(1 for (i, yy) in levels if yy == y) for y in (2001, 2014)}
    alt = labels.ui("crim_alt", lang, f01=full[2001], n01=coded[2001], f14=full[2014], n14=coded[2014], total=len(order))
    table = pd.DataFrame([{labels.ui("col_country", lang): getattr(r, f"name_{lang}"),
                           "2001": labels.label("crim_level", levels[(r.iso3, 2001)], lang) if (r.iso3, 2001) in levels else "",
                           "2014": labels.label("crim_level", levels[(r.iso3, 2014)], lang) if (r.iso3, 2014) in levels else ""}
                          for r in order.itertuples(index=False)])
    return Chart(fig, table, title, labels.ui("crim_caption", lang), alt, [CRIM_SOURCE])


def palermo(status: pd.DataFrame, countries: pd.DataFrame, lang: str) -> Chart:
    """When each state signed and ratified or acceded to the UN Trafficking Protocol, where a dated
    source was found; states without a date are named under the chart, not drawn."""
    order = ordered_countries(countries, lang)
    rows = status.set_index("iso3")
    dated = [iso for iso in order["iso3"] if rows.loc[iso, "ratification_date"] or rows.loc[iso, "signature_date"]]
    undated = [iso for iso in order["iso3"] if iso not in dated]
    with style.context():
        fig, ax = plt.subplots(figsize=(style.WIDTH_IN, 0.24 * len(dated) + 0.5))
        for i, iso in enumerate(dated):
            sig, rat = rows.loc[iso, "signature_date"], rows.loc[iso, "ratification_date"]
            if sig and rat:
                ax.plot([_as_year(sig), _as_year(rat)], [i, i], color=style.LIGHT, linewidth=2, zorder=1)
            if sig:
                ax.plot(_as_year(sig), i, marker="o", markersize=6, markerfacecolor="white",
                        markeredgecolor=style.OKABE_ITO[0], markeredgewidth=1.6, linestyle="none", zorder=2)
            if rat:
                ax.plot(_as_year(rat), i, marker="o", markersize=7, color=style.OKABE_ITO[0], linestyle="none", zorder=3)
        ax.set_yticks(range(len(dated)), [labels.country(i, lang) for i in dated], fontsize=9)
        ax.set_ylim(len(dated) - 0.5, -0.5)
        ax.set_xlim(2000, 2015)
        ax.grid(axis="x", visible=True)
        ax.grid(axis="y", visible=False)
        from matplotlib.lines import Line2D
        handles = [Line2D([], [], marker="o", linestyle="none", markerfacecolor="white", markeredgecolor=style.OKABE_ITO[0],
                          markeredgewidth=1.6, markersize=6, label=labels.ui("palermo_signature", lang)),
                   Line2D([], [], marker="o", linestyle="none", color=style.OKABE_ITO[0], markersize=7,
                          label=labels.ui("palermo_party", lang))]
        title = labels.ui("palermo_title", lang)
        _finish(fig, title, ["palermo-research-2026"], lang, handles)
    ratified = sorted(rows.loc[iso, "ratification_date"] for iso in order["iso3"] if rows.loc[iso, "ratification_date"])
    alt = labels.ui("palermo_alt", lang, n=len(ratified), total=len(order), first=ratified[0][:4], last=ratified[-1][:4])
    notes = [labels.ui("palermo_undated_note", lang, states=", ".join(labels.country(i, lang) for i in undated))] if undated else []
    table = pd.DataFrame([{labels.ui("col_country", lang): labels.country(iso, lang),
                           labels.ui("palermo_signature", lang): rows.loc[iso, "signature_date"],
                           labels.ui("palermo_party", lang): rows.loc[iso, "ratification_date"],
                           labels.ui("col_instrument", lang): labels.label("palermo_action", rows.loc[iso, "action"], lang)
                           if rows.loc[iso, "action"] else ""} for iso in order["iso3"]])
    return Chart(fig, table, title, labels.ui("palermo_caption", lang), alt, ["palermo-research-2026"], notes)


def justice_by_state(glotip: pd.DataFrame, countries: pd.DataFrame, lang: str) -> Chart:
    """Persons prosecuted and convicted in each state's latest year with both figures."""
    order = ordered_countries(countries, lang)
    pairs = []
    for iso in order["iso3"]:
        rows = S.pick(glotip, iso3=iso, dimension="total", category="total", sex="total", age="total")
        pro = S.year_status(S.pick(rows, indicator="prosecuted")).set_index("year")
        con = S.year_status(S.pick(rows, indicator="convicted")).set_index("year")
        both = sorted(set(pro.index) & set(con.index))
        if both:
            y = both[-1]
            pairs.append((iso, y, pro.loc[y], con.loc[y]))
    with style.context():
        fig, ax = plt.subplots(figsize=(style.WIDTH_IN, 0.42 * len(pairs) + 0.5))
        peak = max([int(p["count"]) for _, _, p, _ in pairs if p["status"] == S.VALUE] +
                   [int(c["count"]) for _, _, _, c in pairs if c["status"] == S.VALUE] + [1])
        for i, (iso, year, pro, con) in enumerate(pairs):
            for offset, st, colour in ((-0.18, pro, style.OKABE_ITO[0]), (0.18, con, style.OKABE_ITO[3])):
                if st["status"] == S.VALUE:
                    ax.barh(i + offset, int(st["count"]), height=0.34, color=colour)
                    ax.text(int(st["count"]) + peak * 0.01, i + offset, labels.number(int(st["count"]), lang),
                            va="center", fontsize=8.5)
                else:
                    text = "<5" if st["status"] == S.SUPPRESSED else labels.ui("status_ambiguous_short", lang)
                    ax.text(peak * 0.01, i + offset, text, va="center", fontsize=8.5, color=style.GREY, style="italic")
        ax.set_yticks(range(len(pairs)), [f"{labels.country(iso, lang)} ({year})" for iso, year, _, _ in pairs], fontsize=9)
        ax.set_ylim(len(pairs) - 0.5, -0.5)
        ax.set_xlim(0, peak * 1.15)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        _int_axis_x(ax, lang)
        handles = [matplotlib.patches.Patch(color=style.OKABE_ITO[0], label=labels.label("indicator", "prosecuted", lang)),
                   matplotlib.patches.Patch(color=style.OKABE_ITO[3], label=labels.label("indicator", "convicted", lang))]
        title = labels.ui("justice_states_title", lang)
        _finish(fig, title, [GLOTIP], lang, handles)
    counted = [(int(p["count"]), int(c["count"])) for _, _, p, c in pairs if p["status"] == S.VALUE and c["status"] == S.VALUE]
    alt = labels.ui("justice_states_alt", lang, n=len(pairs), total=len(order), both=len(counted),
                    fewer=sum(1 for p, c in counted if c < p))
    table = pd.DataFrame([{labels.ui("col_country", lang): labels.country(iso, lang), labels.ui("col_year", lang): year,
                           labels.label("indicator", "prosecuted", lang): "<5" if p["status"] == S.SUPPRESSED else ("" if p["status"] == S.AMBIGUOUS else int(p["count"])),
                           labels.label("indicator", "convicted", lang): "<5" if c["status"] == S.SUPPRESSED else ("" if c["status"] == S.AMBIGUOUS else int(c["count"]))}
                          for iso, year, p, c in pairs])
    return Chart(fig, table, title, labels.ui("justice_states_caption", lang), alt, [GLOTIP])


def _int_axis_x(ax, lang: str) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: labels.number(int(v), lang) if v >= 0 else ""))


STATUS_MARKS = {"completed": ("o", True), "scheduled": ("o", False), "expected": ("o", False),
                "interest_expressed": ("s", False), "follow_up_requested": ("D", False), "provided": ("s", True)}


def programmes(progs: pd.DataFrame, countries: pd.DataFrame, lang: str) -> Chart:
    """Which state received, expected or asked for which OAS programme in 2010-2012."""
    order = [iso for iso in ordered_countries(countries, lang)["iso3"] if iso in set(progs["iso3"])]
    kinds = [k for k in ("law_enforcement_training", "border_controls_workshop", "consular_seminar", "curricula_interest",
                         "follow_up_training", "civil_society_training", "iachr_visit", "iachr_hearing", "financial_support")
             if k in set(progs["programme"])]
    cell = {(r.iso3, r.programme): r.status for r in progs.itertuples(index=False)}
    with style.context():
        fig, ax = plt.subplots(figsize=(style.WIDTH_IN, 0.26 * len(order) + 1.6))
        for i, iso in enumerate(order):
            for j, kind in enumerate(kinds):
                status = cell.get((iso, kind))
                if status:
                    marker, filled = STATUS_MARKS[status]
                    ax.plot(j, i, marker=marker, markersize=8, color=style.OKABE_ITO[0],
                            markerfacecolor=style.OKABE_ITO[0] if filled else "white", markeredgewidth=1.6, linestyle="none")
        ax.set_xticks(range(len(kinds)), [labels.label("programme_short", k, lang) for k in kinds], fontsize=9,
                      rotation=60, ha="right", rotation_mode="anchor")
        ax.set_yticks(range(len(order)), [labels.country(i, lang) for i in order], fontsize=9)
        ax.set_ylim(len(order) - 0.5, -0.5)
        ax.set_xlim(-0.5, len(kinds) - 0.5)
        ax.grid(True, color="#eeeeee")
        from matplotlib.lines import Line2D
        used = sorted(set(cell.values()), key=list(STATUS_MARKS).index)
        handles = [Line2D([], [], marker=STATUS_MARKS[s][0], linestyle="none", markersize=8, color=style.OKABE_ITO[0],
                          markerfacecolor=style.OKABE_ITO[0] if STATUS_MARKS[s][1] else "white", markeredgewidth=1.6,
                          label=labels.label("programme_status", s, lang)) for s in used]
        title = labels.ui("programmes_title", lang)
        _finish(fig, title, ["oas-2012-report"], lang, handles)
    completed = len({iso for (iso, k), s in cell.items() if s == "completed" and k in ("law_enforcement_training", "border_controls_workshop", "consular_seminar")})
    alt = labels.ui("programmes_alt", lang, n=len(order), trained=completed)
    table = pd.DataFrame([{labels.ui("col_country", lang): labels.country(r.iso3, lang),
                           labels.ui("col_programme", lang): labels.label("programme", r.programme, lang),
                           labels.ui("col_status", lang): labels.label("programme_status", r.status, lang),
                           labels.ui("col_from", lang): "" if pd.isna(r.year_start) else int(r.year_start),
                           labels.ui("col_to", lang): "" if pd.isna(r.year_end) else int(r.year_end)}
                          for r in progs.itertuples(index=False)])
    return Chart(fig, table, title, labels.ui("programmes_caption", lang), alt, ["oas-2012-report"])
