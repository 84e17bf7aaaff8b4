"""Charts that compare the member states (theme pages, data chapter, OAS activities): which
states have data when, criminalization, prosecutions and convictions, OAS programmes and the
2010–2012 timeline. Each caption says what the comparison can and cannot show."""
from __future__ import annotations

import textwrap

import matplotlib
import pandas as pd

from .. import labels, style
from .. import series as S
from ..page import Chart
from . import layout
from .layout import plt
from .tiers import chart_sources


def coverage(presence: pd.DataFrame, countries: pd.DataFrame, source_ids: list[str], lang: str) -> Chart:
    """Which member states have data in which years: one row per state, one column per year
    (the years the table covers, from its first to its last).

    ``presence`` has columns iso3 and year (one row per country-year with data)."""
    order = layout.ordered_countries(countries, lang)
    have = set(zip(presence["iso3"], presence["year"].astype(int)))
    first, last = int(presence["year"].min()), int(presence["year"].max())
    years = list(range(first, last + 1))
    grid = pd.DataFrame([[1 if (iso, y) in have else 0 for y in years] for iso in order["iso3"]],
                        index=order["iso3"], columns=years)
    with style.context():
        fig, ax = plt.subplots(figsize=(style.WIDTH_IN, 0.2 * len(order) + 0.8))
        cmap = matplotlib.colors.ListedColormap([style.LIGHT, style.OKABE_ITO[0]])
        ax.imshow(grid.values, aspect="auto", cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
        ax.set_yticks(range(len(order)), order[f"name_{lang}"], fontsize=9)
        step = 2 if len(years) > 12 else 1
        ax.set_xticks(range(0, len(years), step), [str(y) for y in years][::step], fontsize=9, rotation=90)
        layout.bare(ax)
        subregions = order["subregion"].tolist()
        for b in range(1, len(subregions)):
            if subregions[b] != subregions[b - 1]:
                ax.axhline(b - 0.5, color="white", linewidth=3)
        layout.finish(fig, source_ids, lang)
    n_states = int((grid.sum(axis=1) > 0).sum())
    alt = labels.ui("coverage_alt", lang, n=n_states, total=len(order), years=labels.year_span(years))
    table = pd.DataFrame({
        labels.ui("col_country", lang): [labels.country(i, lang) for i in order["iso3"] for _ in years],
        labels.ui("col_iso3", lang): [i for i in order["iso3"] for _ in years],
        labels.ui("col_year", lang): [y for _ in order["iso3"] for y in years],
        labels.ui("col_has_data", lang): [labels.ui("yes" if grid.loc[i, y] else "no", lang)
                                          for i in order["iso3"] for y in years],
    })
    caption = labels.ui("coverage_caption", lang, first=first, last=last)
    return Chart(fig, table, caption, alt, source_ids)


CRIM_COLOURS = {"none": "#D55E00", "partial": "#E69F00", "full": "#0072B2"}


def criminalization(crim: pd.DataFrame, countries: pd.DataFrame, lang: str) -> Chart:
    """Each state's criminalization level in each coded year; blank where not coded."""
    order = layout.ordered_countries(countries, lang)
    levels = {(r.iso3, int(r.year)): r.level for r in crim.itertuples(index=False)}
    coded_years = sorted({y for _, y in levels})
    source = crim["source_id"].iloc[0]
    with style.context():
        fig, ax = plt.subplots(figsize=(style.WIDTH_IN, 0.22 * len(order) + 0.5))
        for i, iso in enumerate(order["iso3"]):
            for j, year in enumerate(coded_years):
                level = levels.get((iso, year))
                if level:
                    ax.add_patch(matplotlib.patches.Rectangle((j - 0.45, i - 0.4), 0.9, 0.8, color=CRIM_COLOURS[level]))
                else:
                    ax.text(j, i, labels.ui("no_data_short", lang), ha="center", va="center", fontsize=8.5, color=style.GREY)
        ax.set_xlim(-0.5, len(coded_years) - 0.5)
        ax.set_ylim(len(order) - 0.5, -0.5)
        ax.set_xticks(range(len(coded_years)), [str(y) for y in coded_years])
        ax.xaxis.tick_top()
        ax.set_yticks(range(len(order)), order[f"name_{lang}"], fontsize=9)
        layout.bare(ax)
        handles = [matplotlib.patches.Patch(color=c, label=labels.label("crim_level", k, lang)) for k, c in CRIM_COLOURS.items()]
        layout.finish(fig, [source], lang, handles)
    first, last = coded_years[0], coded_years[-1]
    full = {y: sum(1 for (_, yy), lv in levels.items() if yy == y and lv == "full") for y in (first, last)}
    coded = {y: sum(1 for (_, yy) in levels if yy == y) for y in (first, last)}
    alt = labels.ui("crim_alt", lang, first=first, last=last, f0=full[first], n0=coded[first], f1=full[last],
                    n1=coded[last], total=len(order))
    table = pd.DataFrame([{labels.ui("col_country", lang): getattr(r, f"name_{lang}"),
                           **{str(y): labels.label("crim_level", levels[(r.iso3, y)], lang) if (r.iso3, y) in levels else ""
                              for y in coded_years}}
                          for r in order.itertuples(index=False)])
    caption = labels.ui("crim_caption", lang, first=first, last=last)
    return Chart(fig, table, caption, alt, [source])


def justice_by_state(glotip: pd.DataFrame, countries: pd.DataFrame, lang: str) -> Chart:
    """Persons prosecuted and convicted in each state's latest year with both figures."""
    order = layout.ordered_countries(countries, lang)
    pairs = []
    for iso in order["iso3"]:
        rows = S.pick(glotip, iso3=iso)
        pro = S.national(rows, "prosecuted").set_index("year")
        con = S.national(rows, "convicted").set_index("year")
        both = sorted(set(pro.index) & set(con.index))
        if both:
            y = both[-1]
            pairs.append((iso, y, pro.loc[y], con.loc[y]))
    source = glotip["source_id"].iloc[0]
    with style.context():
        fig, ax = plt.subplots(figsize=(style.WIDTH_IN, 0.42 * len(pairs) + 0.5))
        peak = max([int(st["count"]) for _, _, p, c in pairs for st in (p, c) if st["status"] == S.VALUE] + [1])
        for i, (_, _, pro, con) in enumerate(pairs):
            for offset, st, colour in ((-0.18, pro, style.OKABE_ITO[0]), (0.18, con, style.OKABE_ITO[3])):
                if st["status"] == S.VALUE:
                    ax.barh(i + offset, int(st["count"]), height=0.34, color=colour)
                    ax.text(int(st["count"]) + peak * 0.01, i + offset, labels.number(int(st["count"]), lang),
                            va="center", fontsize=8.5)
                else:
                    ax.text(peak * 0.01, i + offset, layout.status_text(st["status"], lang), va="center", fontsize=8.5,
                            color=style.GREY, style="italic")
        ax.set_yticks(range(len(pairs)), [f"{labels.country(iso, lang)} ({year})" for iso, year, _, _ in pairs], fontsize=9)
        ax.set_ylim(len(pairs) - 0.5, -0.5)
        ax.set_xlim(0, peak * 1.15)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        layout.count_axis(ax, lang, axis="x")
        handles = [matplotlib.patches.Patch(color=style.OKABE_ITO[0], label=labels.label("indicator", "prosecuted", lang)),
                   matplotlib.patches.Patch(color=style.OKABE_ITO[3], label=labels.label("indicator", "convicted", lang))]
        layout.finish(fig, [source], lang, handles)
    counted = [(int(p["count"]), int(c["count"])) for _, _, p, c in pairs if p["status"] == S.VALUE and c["status"] == S.VALUE]
    alt = labels.ui("justice_states_alt", lang, n=len(pairs), total=len(order), both=len(counted),
                    fewer=sum(1 for p, c in counted if c < p))

    def cell(st):
        return "" if st["status"] != S.VALUE else int(st["count"])

    table = pd.DataFrame([{labels.ui("col_country", lang): labels.country(iso, lang), labels.ui("col_year", lang): year,
                           labels.label("indicator", "prosecuted", lang): cell(p),
                           labels.label("indicator", "convicted", lang): cell(c),
                           labels.ui("col_suppressed", lang): labels.join(
                               [labels.label("indicator", k, lang) for k, st in (("prosecuted", p), ("convicted", c))
                                if st["status"] == S.SUPPRESSED], lang)}
                          for iso, year, p, c in pairs])
    return Chart(fig, table, labels.ui("justice_states_caption", lang), alt, [source])


STATUS_MARKS = {"completed": ("o", True), "scheduled": ("o", False), "expected": ("o", False),
                "interest_expressed": ("s", False), "follow_up_requested": ("D", False), "provided": ("s", True)}
PROGRAMME_ORDER = ("law_enforcement_training", "border_controls_workshop", "consular_seminar", "curricula_interest",
                   "follow_up_training", "civil_society_training", "iachr_visit", "iachr_hearing", "financial_support")


def programmes(progs: pd.DataFrame, countries: pd.DataFrame, lang: str) -> Chart:
    """Which state received, expected or asked for which OAS programme in 2010-2012."""
    order = [iso for iso in layout.ordered_countries(countries, lang)["iso3"] if iso in set(progs["iso3"])]
    kinds = [k for k in PROGRAMME_ORDER if k in set(progs["programme"])]
    cell = {(r.iso3, r.programme): r.status for r in progs.itertuples(index=False)}
    source = progs["source_id"].iloc[0]
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
        used = sorted(set(cell.values()), key=list(STATUS_MARKS).index)
        handles = [layout.marker_handle(labels.label("programme_status", s, lang), STATUS_MARKS[s][0], STATUS_MARKS[s][1])
                   for s in used]
        layout.finish(fig, [source], lang, handles)
    completed = len({iso for (iso, k), s in cell.items() if s == "completed" and k in PROGRAMME_ORDER[:3]})
    alt = labels.ui("programmes_alt", lang, n=len(order), trained=completed)
    table = pd.DataFrame([{labels.ui("col_country", lang): labels.country(r.iso3, lang),
                           labels.ui("col_programme", lang): labels.label("programme", r.programme, lang),
                           labels.ui("col_status", lang): labels.label("programme_status", r.status, lang),
                           labels.ui("col_from", lang): "" if pd.isna(r.year_start) else int(r.year_start),
                           labels.ui("col_to", lang): "" if pd.isna(r.year_end) else int(r.year_end)}
                          for r in progs.itertuples(index=False)])
    return Chart(fig, table, labels.ui("programmes_caption", lang), alt, [source])


def timeline(events: pd.DataFrame, lang: str) -> Chart:
    """OAS activities 2010-2012 on a time axis; exact dates as dots, periods as bars (pale and
    hatched where the source gives only the period), planned activities hollow."""
    events = events.assign(_start=events["date_start"].map(layout.as_year)).sort_values(["_start", "event_id"])
    names = [textwrap.fill(labels.label("oas_event", e, lang), 40) for e in events["event"]]
    lines = [n.count("\n") + 1 for n in names]
    first = int(min(layout.as_year(d) for d in events["date_start"]))
    last = int(max(layout.as_year(d, end=True) for d in events["date_end"])) + 1
    with style.context():
        fig, ax = plt.subplots(figsize=(style.WIDTH_IN, 0.19 * sum(lines) + 0.12 * len(events) + 0.6))
        for y, row in enumerate(events.itertuples(index=False)):
            start, end = layout.as_year(row.date_start), layout.as_year(row.date_end, end=True)
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
        ax.set_xlim(first, last)
        ax.set_xticks(range(first, last + 1))
        ax.grid(axis="x", visible=True)
        ax.grid(axis="y", visible=False)
        handles = [layout.marker_handle(labels.ui("tl_exact", lang)),
                   matplotlib.patches.Patch(facecolor=style.OKABE_ITO[0], alpha=0.35, hatch="///", edgecolor=style.OKABE_ITO[0],
                                            label=labels.ui("tl_vague", lang)),
                   matplotlib.patches.Patch(facecolor="white", edgecolor=style.OKABE_ITO[1], linewidth=1.6,
                                            label=labels.ui("tl_planned", lang))]
        layout.finish(fig, sorted(set(events["source_id"])), lang, handles)
    done = int((events["status"] == "completed").sum())
    alt = labels.ui("timeline_alt", lang, n=len(events), done=done, planned=len(events) - done)
    table = pd.DataFrame([{labels.ui("col_activity", lang): labels.label("oas_event", r.event, lang),
                           labels.ui("col_from", lang): r.date_start, labels.ui("col_to", lang): r.date_end,
                           labels.ui("col_precision", lang): labels.label("precision", r.precision, lang),
                           labels.ui("col_countries", lang): "; ".join(labels.country(c, lang) for c in r.countries.split(";") if c),
                           labels.ui("col_status", lang): labels.label("programme_status", r.status, lang)}
                          for r in events.itertuples(index=False)])
    return Chart(fig, table, labels.ui("timeline_caption", lang), alt, sorted(set(events["source_id"])))


MEASURE_COLOURS = {"in_place": "#0072B2", "partial": "#56B4E9", "expired": "#E69F00", "draft": "#F0E442",
                   "none": "#D55E00", "unclear": "#d9d9d9"}


def measures_status(table: pd.DataFrame, codes: tuple[str, ...], lang: str) -> Chart:
    """For each measure, how many states have it in place, partly, expired, in draft, not at all
    (a source says so) or not established in the sources consulted — a bar split by status, each
    part labelled with its number, so colour is never the only cue."""
    statuses = list(MEASURE_COLOURS)
    counts = {m: table[table["measure"] == m]["status"].value_counts() for m in codes}
    total = max(int(c.sum()) for c in counts.values())
    with style.context():
        fig, ax = plt.subplots(figsize=(style.WIDTH_IN, 0.55 * len(codes) + 0.4))
        for i, m in enumerate(codes):
            left = 0
            for status in statuses:
                n = int(counts[m].get(status, 0))
                if not n:
                    continue
                ax.barh(i, n, left=left, color=MEASURE_COLOURS[status], height=0.65, edgecolor="white")
                dark = status in ("in_place", "none")
                ax.text(left + n / 2, i, labels.number(n, lang), ha="center", va="center", fontsize=9.5,
                        color="white" if dark else "#222222")
                left += n
        ax.set_yticks(range(len(codes)), [textwrap.fill(labels.label("measure", m, lang), 28) for m in codes], fontsize=10)
        ax.set_ylim(len(codes) - 0.5, -0.5)
        ax.set_xlim(0, total)
        ax.xaxis.set_visible(False)
        layout.bare(ax)
        handles = [matplotlib.patches.Patch(color=MEASURE_COLOURS[s], label=labels.label("measure_status", s, lang))
                   for s in statuses if any(counts[m].get(s, 0) for m in codes)]
        source_ids = ["measures-compilation"]
        layout.finish(fig, source_ids, lang, handles)
    parts = [labels.ui("measures_alt_part", lang, measure=labels.label("measure", m, lang).lower(),
                       n=int(counts[m].get("in_place", 0)), total=int(counts[m].sum())) for m in codes]
    alt = labels.ui("measures_alt", lang, parts="; ".join(parts))
    rows = [{labels.ui("col_measure", lang): labels.label("measure", m, lang),
             **{labels.label("measure_status", s, lang): int(counts[m].get(s, 0)) for s in statuses}} for m in codes]
    return Chart(fig, pd.DataFrame(rows), labels.ui("measures_caption", lang), alt, source_ids)


TIER_COLOURS = {"tier1": "#0072B2", "tier2": "#56B4E9", "tier2_watch": "#E69F00", "tier3": "#D55E00",
                "special_case": "#CC79A7", "not_ranked": "#999999", "missing": "#e6e6e6"}


def tiers_by_year(tiers: pd.DataFrame, countries: pd.DataFrame, lang: str) -> Chart:
    """How many member states each report year placed on each tier, with the years a state has no
    placement in the data shown apart (never counted as a tier)."""
    years = list(range(int(tiers["year"].min()), int(tiers["year"].max()) + 1))
    total = len(countries)
    counts = {y: tiers[tiers["year"] == y]["tier"].value_counts() for y in years}
    order = list(TIER_COLOURS)
    with style.context():
        fig, ax = plt.subplots(figsize=(style.WIDTH_IN, 3.4))
        bottom = [0] * len(years)
        for code in order:
            values = [int(counts[y].get(code, 0)) if code != "missing" else total - int(counts[y].sum()) for y in years]
            ax.bar(years, values, bottom=bottom, color=TIER_COLOURS[code], width=0.8,
                   label=labels.label("tier", code, lang) if code != "missing" else labels.ui("tier_missing", lang))
            bottom = [b + v for b, v in zip(bottom, values)]
        ax.set_ylim(0, total)
        layout.count_axis(ax, lang)
        layout.year_axis(ax, years[0], years[-1])
        handles = ax.get_legend_handles_labels()[0]
        sources = chart_sources(tiers)
        layout.finish(fig, sources, lang, handles)
    last = years[-1]
    alt = labels.ui("tiers_year_alt", lang, first=years[0], last=last, t1=int(counts[last].get("tier1", 0)),
                    t3=int(counts[last].get("tier3", 0)), placed=int(counts[last].sum()), total=total)
    rows = [{labels.ui("col_report_year", lang): y,
             **{labels.label("tier", c, lang): int(counts[y].get(c, 0)) for c in order if c != "missing"},
             labels.ui("tier_missing", lang): total - int(counts[y].sum())} for y in years]
    caption = labels.ui("tiers_year_caption", lang, first=years[0], last=last)
    return Chart(fig, pd.DataFrame(rows), caption, alt, sources)
