"""What book pages call: one function per element (chart, card, table, list).

A page holds words; its code cells are one call each, e.g. ``kb.coverage("glotip")``. The
language comes from the build (tipkb.lang), so the same page source renders both editions.
"""
from __future__ import annotations


import html

from . import charts, data, labels, myst
from .paths import DATA_ZIP as ZIP_NAME
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
    presence = data.table(table, columns=["iso3", "year"]).drop_duplicates()
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
        # Only the key columns: row counts do not depend on values.
        frame = data.table(resource["name"], columns=resource["schema"]["primaryKey"])
        rows.append([
            myst.text(labels.label("table", resource["name"], lang)),
            labels.number(len(frame), lang),
            myst.link(resource["path"], f"/data/{resource['path']}"),
        ])
    rows.append([myst.text(labels.ui("datapackage_label", lang)), "", myst.link("datapackage.json", "/data/datapackage.json")])
    # The zip is assembled next to the two languages (tipkb.build.extras), outside Sphinx: a plain link.
    zip_link = (f'<a href="../../downloads/{ZIP_NAME}" download>'
                f'{html.escape(labels.ui("download_all_data", lang))}</a>')
    return myst.Markdown(zip_link + "\n\n" + myst.table(header, rows))


# Country pages ---------------------------------------------------------------------------------
from . import country as _country  # noqa: E402
from . import practices as _practices  # noqa: E402

country_card = _country.card
country_summary = _country.summary
country_chart = _country.chart
country_oas = _country.oas_activities
country_sources = _country.sources


def country_practices(iso3: str) -> myst.Markdown:
    lang = langs.current()
    return _practices.country_practices(iso3, lang, _country.name(iso3, lang))


# Indexes ---------------------------------------------------------------------------------------
from . import overview as _overview  # noqa: E402
from . import tilemap as _tilemap  # noqa: E402


def tile_map(link_prefix: str = "") -> myst.Html:
    """The tile-grid map; ``link_prefix`` is the path from the page to book/countries/."""
    return _tilemap.tile_map(link_prefix, langs.current())


def countries_table() -> myst.Markdown:
    return _overview.countries_table(langs.current())


def practice_counts() -> myst.Markdown:
    return figure(_overview.practice_counts_chart(langs.current()), "practice-counts")


# Themes, OAS activities, glossary, references ----------------------------------------------------
from . import themes as _themes  # noqa: E402


def regional_chart(which: str) -> myst.Markdown:
    """A chart comparing member states (see tipkb.themes.regional_chart for the names)."""
    return _themes.regional_chart(which, langs.current())


def theme_practices(theme: str) -> myst.Markdown:
    return _themes.theme_practices(theme, langs.current())


def area_catalogue(area: str) -> myst.Markdown:
    return _themes.area_catalogue(area, langs.current())


def glossary() -> myst.Markdown:
    return _themes.glossary(langs.current())


def references() -> myst.Markdown:
    return _themes.references(langs.current())


def data_dates() -> myst.Markdown:
    return _themes.data_dates(langs.current())


def key_figures() -> myst.Markdown:
    return _themes.key_figures(langs.current())


def oas_events_table() -> myst.Markdown:
    return _themes.oas_events_table(langs.current())
