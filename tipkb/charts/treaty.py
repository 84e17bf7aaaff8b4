"""When each member state became a party to the UN Trafficking Protocol, as precisely as its
sources allow: a deposit day (filled dot), a deposit month (a bar across the month), or only the
entry into force (a hollow diamond). States with no dated record are named under the chart."""
from __future__ import annotations

import pandas as pd

from .. import labels, style
from ..page import Chart
from . import layout
from .layout import plt

COMPILATION = "palermo-research-2026"


def _when(row) -> tuple[str, float, float] | None:
    if row["deposit_date"]:
        kind = "day" if len(row["deposit_date"]) == 10 else "month"
        return kind, layout.as_year(row["deposit_date"]), layout.as_year(row["deposit_date"], end=True)
    if row["entry_into_force"]:
        start = layout.as_year(row["entry_into_force"])
        return "in_force", start, start
    return None


def regional(status: pd.DataFrame, countries: pd.DataFrame, lang: str) -> Chart:
    order = layout.ordered_countries(countries, lang)
    rows = status.set_index("iso3")
    dated = [(iso, _when(rows.loc[iso])) for iso in order["iso3"] if _when(rows.loc[iso])]
    undated = [iso for iso in order["iso3"] if not _when(rows.loc[iso])]
    first = int(min(w[1] for _, w in dated))
    last = int(max(w[2] for _, w in dated)) + 1
    with style.context():
        fig, ax = plt.subplots(figsize=(style.WIDTH_IN, 0.24 * len(dated) + 0.5))
        for i, (_, (kind, start, end)) in enumerate(dated):
            if kind == "day":
                ax.plot(start, i, marker="o", markersize=7, color=style.OKABE_ITO[0], linestyle="none")
            elif kind == "month":
                ax.plot([start, end], [i, i], color=style.OKABE_ITO[0], linewidth=6, solid_capstyle="butt")
            else:
                ax.plot(start, i, marker="D", markersize=7, color=style.OKABE_ITO[3], markerfacecolor="white",
                        markeredgewidth=1.6, linestyle="none")
        ax.set_yticks(range(len(dated)), [labels.country(iso, lang) for iso, _ in dated], fontsize=9)
        ax.set_ylim(len(dated) - 0.5, -0.5)
        ax.set_xlim(first, last)
        ax.grid(axis="x", visible=True)
        ax.grid(axis="y", visible=False)
        kinds = {w[0] for _, w in dated}
        handles = [h for k, h in (
            ("day", layout.marker_handle(labels.ui("palermo_legend_day", lang), size=7)),
            ("month", layout.marker_handle(labels.ui("palermo_legend_month", lang), "s", size=7)),
            ("in_force", layout.marker_handle(labels.ui("palermo_legend_in_force", lang), "D", False,
                                              style.OKABE_ITO[3], 7))) if k in kinds]
        source_ids = [COMPILATION]
        layout.finish(fig, source_ids, lang, handles)
    parties = int((status["party"] == "yes").sum())
    alt = labels.ui("palermo_alt", lang, n=parties, total=len(order), dated=len(dated), first=first,
                    last=last - 1)
    notes = [labels.ui_n("palermo_undated_note", len(undated), lang,
                         states=labels.join([labels.country(i, lang) for i in undated], lang))] if undated else []
    table = pd.DataFrame([{labels.ui("col_country", lang): labels.country(iso, lang),
                           labels.ui("palermo_signature", lang): rows.loc[iso, "signature_date"],
                           labels.ui("col_deposit", lang): rows.loc[iso, "deposit_date"],
                           labels.ui("col_instrument", lang): labels.label("palermo_action", rows.loc[iso, "deposit_kind"], lang)
                           if rows.loc[iso, "deposit_kind"] else "",
                           labels.ui("col_entry_into_force", lang): rows.loc[iso, "entry_into_force"],
                           labels.ui("col_party", lang): labels.label("party", rows.loc[iso, "party"], lang),
                           labels.ui("col_source", lang): rows.loc[iso, "source_id"]} for iso in order["iso3"]])
    return Chart(fig, table, labels.ui("palermo_caption", lang), alt, source_ids, notes)
