"""Blocks that look across all member states: the countries table and practice counts."""
from __future__ import annotations

import pandas as pd

from . import charts, data, labels, myst, practices
from .country import latest_tier


def countries_table(lang: str) -> myst.Markdown:
    """Key facts of the 35 states, ordered by subregion and then by name."""
    countries = charts.ordered_countries(data.table("countries"), lang)
    replied = data.table("questionnaire_2012").set_index("iso3")["replied_by_report"]
    programmes = data.table("oas_programmes").groupby("iso3").size()
    glotip_years = data.table("glotip", columns=["iso3", "year"]).groupby("iso3")["year"]
    p3 = data.table("policy_3p").dropna(subset=["total"]).sort_values("year").groupby("iso3").last()
    counts = practices.counts(lang)
    header = [labels.ui(k, lang) for k in ("col_country", "field_subregion", "col_replied_2012", "col_oas_programmes",
                                           "col_unodc_years", "col_3p_latest", "col_tier_latest", "col_practices")]
    rows = []
    for r in countries.itertuples(index=False):
        tier = latest_tier(r.iso3)
        years = glotip_years.get_group(r.iso3) if r.iso3 in glotip_years.groups else pd.Series(dtype=int)
        rows.append([
            myst.link(getattr(r, f"name_{lang}"), f"/book/countries/{r.iso3.lower()}.md"),
            myst.text(labels.label("subregion", r.subregion, lang)),
            myst.text(labels.ui("yes" if replied[r.iso3] == "yes" else "no", lang)),
            labels.number(int(programmes.get(r.iso3, 0)), lang),
            myst.text(labels.year_span(years) or labels.ui("no_data_short", lang)),
            myst.text(f"{int(p3.loc[r.iso3, 'total'])} ({int(p3.loc[r.iso3, 'year'])})" if r.iso3 in p3.index
                      else labels.ui("no_data_short", lang)),
            myst.text(f"{labels.label('tier', tier[1], lang)} ({tier[0]})" if tier else labels.ui("no_data_short", lang)),
            labels.number(int(counts.loc[r.iso3].sum()) if r.iso3 in counts.index else 0, lang),
        ])
    return myst.Markdown(myst.table(header, rows))


def practice_counts_chart(lang: str):
    """Published practices per state and questionnaire area."""
    counts = practices.counts(lang)
    return charts.practice_counts(counts, data.table("countries"), lang)
