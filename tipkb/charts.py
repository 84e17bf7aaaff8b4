"""Charts: pure functions from tidy tables and a language to a :class:`tipkb.page.Chart`.

Rules every chart follows: labels come from the codebook in the page's language; numbers are
formatted for the language; a suppressed count (``<5``) is drawn as suppressed, never as a number
or zero; a year without data is a gap, never zero; the source line and data date are drawn under
the chart as well as written in the caption.
"""
from __future__ import annotations

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


def _footer(fig, source_ids: list[str], lang: str) -> None:
    fig.text(0.0, -0.01, source_line(source_ids, lang), ha="left", va="top", fontsize=9.5, color=style.GREY,
             transform=fig.transFigure, wrap=True)


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
        fig, ax = plt.subplots(figsize=(style.WIDTH_IN, 0.2 * len(order) + 1.6))
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
        ax.set_title(title)
        _footer(fig, source_ids, lang)
        fig.tight_layout()
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
