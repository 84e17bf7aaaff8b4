"""US Trafficking in Persons Report tiers of one state, by report year, as published — a foreign
government's assessment. Years the report did not rank the state and the special case (Haiti
after the 2010 earthquake) are drawn apart from the tiers; years without data are gaps."""
from __future__ import annotations

import textwrap

import pandas as pd

from .. import labels, style
from ..page import Chart, NoChart
from ..sources import us_variant
from . import layout
from .layout import plt

ORDER = ["tier3", "tier2_watch", "tier2", "tier1"]  # bottom to top
UNRANKED = {"not_ranked": "x", "special_case": "D"}  # drawn on their own row, below Tier 3
CHART_SOURCES = ("kelley-heiss-tiers", "tip-tiers-compilation")


def chart_sources(rows: pd.DataFrame) -> list[str]:
    """The chart's source line names the two compilations; each placement's own source (a report
    narrative) is listed on the page and in the CSV."""
    have = set(rows["source_id"])
    out = [CHART_SOURCES[0]] if CHART_SOURCES[0] in have else []
    return out + ([CHART_SOURCES[1]] if have - {CHART_SOURCES[0]} else [])


def country(rows: pd.DataFrame, name: str, lang: str, changes: pd.DataFrame) -> Chart | NoChart:
    """Tier by report year; ``changes`` (tip_tier_changes rows) are placements changed after
    publication, told in a note with their source."""
    if rows.empty:
        return NoChart(labels.ui("no_data_tiers", lang, country=name))
    by_year = dict(zip(rows["year"].astype(int), rows["tier"]))
    first, last = min(by_year), max(by_year)
    years = list(range(first, last + 1))
    unranked = [t for t in UNRANKED if t in by_year.values()]
    low = -1 if unranked else 0
    with style.context():
        fig, ax = plt.subplots(figsize=(style.WIDTH_IN, 2.8 + (0.5 if unranked else 0)))
        level = [ORDER.index(by_year[y]) if by_year.get(y) in ORDER else float("nan") for y in years]
        ax.plot(years, level, color=style.OKABE_ITO[0], marker="o", markersize=7, linewidth=2, drawstyle="steps-mid")
        handles = []
        for code, marker in UNRANKED.items():
            marked = [y for y in years if by_year.get(y) == code]
            if marked:
                ax.plot(marked, [-1] * len(marked), linestyle="none", marker=marker, markersize=8,
                        color=style.OKABE_ITO[3], markerfacecolor="white", markeredgewidth=1.8)
                handles.append(layout.marker_handle(labels.label("tier", code, lang), marker, False, style.OKABE_ITO[3]))
        ticks = ([labels.ui("tier_unranked_row", lang)] if unranked else []) + \
            [textwrap.fill(labels.label("tier", t, lang), 24) for t in ORDER]
        ax.set_yticks(range(low, 4), ticks)
        ax.set_ylim(low - 0.5, 3.5)
        layout.year_axis(ax, first, last)
        ax.grid(axis="y", visible=True)
        sources = chart_sources(rows)
        layout.finish(fig, sources, lang, handles or None)
    latest = last
    missing = [y for y in years if y not in by_year]
    alt = labels.ui_n("tiers_alt", len(by_year), lang, country=name, year=latest,
                      tier=labels.label("tier", by_year[latest], lang), first=first)
    notes = [labels.ui("note_tier_gaps", lang, years=labels.join([str(y) for y in missing], lang))] if missing else []
    for change in changes.itertuples():
        notes.append(labels.ui("note_tier_change", lang, year=change.year, country=name,
                               before=labels.label("tier", by_year[int(change.year)], lang),
                               date=labels.date(change.changed_on, lang), after=labels.label("tier", change.tier_after, lang)))
    table = pd.DataFrame([{labels.ui("col_country", lang): name, labels.ui("col_report_year", lang): y,
                           labels.ui("col_tier", lang): labels.label("tier", by_year[y], lang) if y in by_year else "",
                           labels.ui("col_source", lang): dict(zip(rows["year"].astype(int), rows["source_id"])).get(y, "")}
                          for y in years])
    caption = labels.ui(us_variant("tiers_caption", rows["iso3"].iloc[0]), lang, first=first, last=last)
    return Chart(fig, table, caption, alt, sources + sorted(set(changes["source_id"])), notes)
