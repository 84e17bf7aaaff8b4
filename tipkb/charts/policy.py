"""The 3P Anti-trafficking Policy Index: one state against the member states' median, and the
median by subregion. Scores are an academic coding (Cho, Dreher and Neumayer), not this project's
assessment; the series ends in its last coded year, which every caption states."""
from __future__ import annotations

import pandas as pd

from .. import labels, style
from ..page import Chart, NoChart
from . import layout
from .layout import plt

PARTS = ("prosecution", "protection", "prevention", "total")
SUBREGION_COLOURS = {"northern_america": "#0072B2", "central_america": "#B84A00", "caribbean": "#00775A",
                     "south_america": "#9A4B84"}


def _source(rows: pd.DataFrame) -> str:
    return rows["source_id"].iloc[0]


def _value(frame: pd.DataFrame, year: int, part: str):
    return frame[part].get(year, pd.NA) if year in frame.index else pd.NA


def country(country_rows: pd.DataFrame, all_rows: pd.DataFrame, name: str, lang: str) -> Chart | NoChart:
    """A state's 3P scores by year against the median of the member states scored that year."""
    if country_rows.empty:
        return NoChart(labels.ui("no_data_p3", lang, country=name))
    years = sorted(all_rows["year"].dropna().astype(int).unique())
    first, last = years[0], years[-1]
    medians = all_rows.groupby("year")[list(PARTS)].median()
    counts = all_rows.groupby("year")[list(PARTS)].count()
    mine = country_rows.set_index("year")
    with style.context():
        fig, axes = plt.subplots(2, 2, figsize=(style.WIDTH_IN, 4.4), sharex=True)
        for ax, part in zip(axes.flat, PARTS):
            ys = [_value(mine, y, part) for y in years]
            ax.plot(years, [float(v) if pd.notna(v) else float("nan") for v in ys], color=style.OKABE_ITO[0],
                    marker="o", markersize=4, linewidth=2.2, label=name)
            ax.plot(years, [float(medians.loc[y, part]) for y in years], color=style.GREY, linestyle="--",
                    linewidth=1.6, label=labels.ui("oas_median", lang))
            layout.score_axis(ax, part)
            ax.set_title(labels.label("p3", part, lang), fontsize=12, loc="left")
            layout.year_axis(ax, first, last)
            ax.tick_params(axis="x", labelrotation=0, labelsize=9.5)
        layout.finish(fig, [_source(country_rows)], lang, axes[0, 0].get_legend_handles_labels()[0])
    scored = mine["total"].dropna()
    if len(scored):
        y0, y1 = int(scored.index.min()), int(scored.index.max())
        alt = labels.ui("p3_alt", lang, country=name, first=y0, last=y1, v0=labels.number(int(scored[y0]), lang),
                        v1=labels.number(int(scored[y1]), lang), median=labels.number(float(medians.loc[y1, "total"]), lang))
    else:
        alt = labels.ui("p3_alt_partial", lang, country=name)
    table = [{labels.ui("col_country", lang): name, labels.ui("col_year", lang): y,
              labels.ui("col_measure", lang): labels.label("p3", part, lang),
              labels.ui("col_value", lang): "" if pd.isna(_value(mine, y, part)) else int(_value(mine, y, part)),
              labels.ui("oas_median", lang): float(medians.loc[y, part]),
              labels.ui("col_states_scored", lang): int(counts.loc[y, part])}
             for y in years for part in PARTS]
    caption = labels.ui("p3_caption", lang, first=first, last=last)
    return Chart(fig, pd.DataFrame(table), caption, alt, [_source(country_rows)])


def subregion_trend(policy: pd.DataFrame, countries: pd.DataFrame, part: str, lang: str) -> Chart:
    """Median 3P sub-index score by subregion and year, with the median of all scored states."""
    merged = policy.merge(countries[["iso3", "subregion"]], on="iso3")
    years = sorted(merged["year"].astype(int).unique())
    with style.context():
        fig, ax = plt.subplots(figsize=(style.WIDTH_IN, 3.2))
        rows = []
        for sub, colour in SUBREGION_COLOURS.items():
            grp = merged[merged["subregion"] == sub].groupby("year")[part]
            med, n = grp.median().dropna(), grp.count()
            ax.plot(med.index.astype(int), med.values.astype(float), color=colour, linewidth=2.2, marker="o",
                    markersize=4, label=labels.label("subregion", sub, lang))
            rows += [{labels.ui("col_subregion", lang): labels.label("subregion", sub, lang), labels.ui("col_year", lang): int(y),
                      labels.ui("col_median", lang): float(med[y]), labels.ui("col_states_scored", lang): int(n[y])}
                     for y in med.index]
        overall = merged.groupby("year")[part].median()
        ax.plot(overall.index.astype(int), overall.values.astype(float), color=style.GREY, linestyle="--", linewidth=1.6,
                label=labels.ui("oas_median", lang))
        layout.score_axis(ax, part)
        layout.year_axis(ax, years[0], years[-1])
        layout.finish(fig, [_source(policy)], lang, ax.get_legend_handles_labels()[0])
    last = years[-1]
    measure = labels.label("p3", part, lang)
    alt = labels.ui("subregion_trend_alt", lang, measure=measure.lower(), first=years[0], last=last,
                    median=labels.number(float(overall[last]), lang))
    caption = labels.ui("subregion_trend_caption", lang, measure=measure, first=years[0], last=last)
    return Chart(fig, pd.DataFrame(rows), caption, alt, [_source(policy)])
