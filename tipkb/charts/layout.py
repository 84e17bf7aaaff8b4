"""What every chart shares: figure layout, axes, the order of states, the suppressed marker.

Rules every chart follows: labels come from the codebook in the page's language; numbers are
formatted for the language; a suppressed count (``<5``) is drawn as suppressed, never as a number
or zero; a year without data is a gap, never zero; the source line and data date are drawn at the
bottom of the image (the page's heading is the chart's title).
"""
from __future__ import annotations

import math
import textwrap

import matplotlib

matplotlib.use("agg")  # charts are saved to files by tipkb.page, never shown inline
import matplotlib.pyplot as plt  # noqa: E402,F401  (re-exported for the chart modules)
import pandas as pd  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from .. import labels, sources, style  # noqa: E402

SUBREGION_ORDER = ["northern_america", "central_america", "caribbean", "south_america"]


def ordered_countries(countries: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Member states by subregion, then by name in the page's language (its own collation)."""
    rank = {code: i for i, code in enumerate(SUBREGION_ORDER)}
    out = countries.assign(_sub=countries["subregion"].map(rank), _name=countries[f"name_{lang}"].map(collation_key))
    return out.sort_values(["_sub", "_name"]).drop(columns=["_sub", "_name"]).reset_index(drop=True)


def collation_key(name: str) -> str:
    """Sort key that orders names as a reader of the language expects: accents and case do not
    move a name ("Ecuador" before "El Salvador", "Perú" between "Paraguay" and "Saint…")."""
    import unicodedata

    # ñ is a letter of its own in Spanish, sorted after n (no state name needs more than that).
    decomposed = unicodedata.normalize("NFD", name.casefold().replace("ñ", "n~"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def finish(fig, source_ids: list[str], lang: str, handles: list | None = None) -> None:
    """Legend and source line at the bottom, plot area above.

    The figure is created at the size of its plot area; this adds the height the legend and
    source line need, so short charts are not squashed. Everything is inside the figure, so
    saving needs no ``bbox_inches="tight"``. Long texts wrap instead of running off the image."""
    width_in, plot_in = fig.get_size_inches()
    source_lines = textwrap.wrap(sources.line(source_ids, lang), width=int(width_in * 12.5))
    columns = rows = 0
    if handles:
        columns = 1 if max(len(h.get_label()) for h in handles) > 30 else 2
        rows = math.ceil(len(handles) / columns)
    top_in = 0.12
    source_in = 0.14 + 0.19 * len(source_lines)
    bottom_in = source_in + (0.1 + 0.27 * rows if rows else 0)
    height_in = plot_in + top_in + bottom_in
    fig.set_size_inches(width_in, height_in)
    fig.text(0.012, 0.06 / height_in, "\n".join(source_lines), ha="left", va="bottom", fontsize=10.5, color=style.GREY)
    if handles:
        fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, source_in / height_in), ncols=columns,
                   fontsize=10.5, frameon=False, handlelength=1.8, columnspacing=1.2, borderaxespad=0.2)
    fig.tight_layout(rect=(0, bottom_in / height_in, 1, 1 - top_in / height_in))


def bare(ax) -> None:
    """No grid, spines or ticks: for grids of cells and bar lists."""
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.tick_params(length=0)


def count_axis(ax, lang: str, axis: str = "y") -> None:
    """Whole-number ticks formatted for the language, starting at zero."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(nbins=5 if axis == "y" else 4, integer=True, min_n_ticks=3))
    target.set_major_formatter(FuncFormatter(lambda v, _: labels.number(int(v), lang) if v >= 0 else ""))
    if axis == "y":
        ax.set_ylim(bottom=0)


def year_axis(ax, first: int, last: int) -> None:
    span = last - first
    step = 1 if span <= 6 else 2 if span <= 12 else 4
    start = first - (first % step) if step > 1 else first
    ax.set_xticks([y for y in range(start, last + 1, step) if y >= first])
    ax.set_xlim(first - 0.6, last + 0.6)
    ax.grid(axis="x", visible=False)


def score_axis(ax, part: str) -> None:
    """3P scores: 1–5 for a pillar, 3–15 for the total."""
    top, low, step = (15, 3, 3) if part == "total" else (5, 1, 1)
    ax.set_ylim(low - 0.3, top + 0.3)
    ax.set_yticks(range(low, top + 1, step))


def suppressed_handle(lang: str) -> Line2D:
    return Line2D([], [], linestyle="none", marker="v", markersize=8, markerfacecolor="white",
                  markeredgecolor=style.GREY, markeredgewidth=1.6, label=labels.ui("suppressed_legend", lang))


def marker_handle(label: str, marker: str = "o", filled: bool = True, colour: str = style.OKABE_ITO[0],
                  size: float = 8) -> Line2D:
    return Line2D([], [], marker=marker, linestyle="none", markersize=size, color=colour,
                  markerfacecolor=colour if filled else "white", markeredgewidth=1.6, label=label)


def status_text(status: str, lang: str) -> str:
    """How a bar or cell without a count is labelled."""
    return "<5" if status == "suppressed" else labels.ui("status_ambiguous_short", lang)


def as_year(text: str, end: bool = False) -> float:
    """'2012' / '2012-07' / '2012-07-15' as a fractional year; ``end`` gives the end of the span."""
    import datetime as dt

    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return parts[0] + (1.0 if end else 0.0)
    if len(parts) == 2:
        return parts[0] + (parts[1] - (0 if end else 1)) / 12
    day = dt.date(*parts)
    return day.year + (day.timetuple().tm_yday - (0 if end else 1)) / 365.25

