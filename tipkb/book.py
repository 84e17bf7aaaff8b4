"""What book pages call: one function per element (chart, card, table, list).

A page holds words; its code cells are one call each, e.g. ``kb.coverage("glotip")``. The
language comes from the build (tipkb.lang), so the same page source renders both editions.
"""
from __future__ import annotations


from . import charts, data, labels, myst
from . import lang as langs
from .page import figure

# Which table each coverage chart shows, how to find a country-year with data, and its source.
COVERAGE = {
    "glotip": ("glotip", range(2003, 2023), "unodc-glotip-2025"),
    "policy_3p": ("policy_3p", range(2000, 2014), "cho-3p-index"),
    "tip_tiers": ("tip_tiers", range(2001, 2016), "kelley-heiss-tiers"),
}


def coverage(dataset: str) -> myst.Markdown:
    lang = langs.current()
    table, years, source = COVERAGE[dataset]
    rows = data.table(table)
    presence = rows[["iso3", "year"]].drop_duplicates()
    title = labels.ui(f"coverage_title_{dataset}", lang)
    chart = charts.coverage(presence, data.table("countries"), years, title, [source], lang)
    return figure(chart, f"coverage-{dataset}")


def data_files() -> myst.Markdown:
    """The data package's tables: what each is, how many rows, and a download link."""
    lang = langs.current()
    package = data.package()
    header = [labels.ui("col_table", lang), labels.ui("col_rows", lang), labels.ui("col_download", lang)]
    rows = []
    for resource in package["resources"]:
        frame = data.table(resource["name"])
        rows.append([
            myst.text(labels.label("table", resource["name"], lang)),
            labels.number(len(frame), lang),
            myst.link(resource["path"], f"/data/{resource['path']}"),
        ])
    rows.append([myst.text(labels.ui("datapackage_label", lang)), "", myst.link("datapackage.json", "/data/datapackage.json")])
    return myst.Markdown(myst.table(header, rows))
