"""What book pages call: one function per element (a whole country profile, a chart, a table).

A page holds words; its code cells are one call each, e.g. ``kb.coverage("glotip")``. The
language comes from the build (tipkb.lang), so the same page source renders every edition.
"""
from __future__ import annotations

import html

from . import data, labels, myst
from . import lang as langs
from .paths import DATA_ZIP as ZIP_NAME


def _lang() -> str:
    return langs.current()


# Country pages ---------------------------------------------------------------------------------

def country_profile(iso3: str) -> myst.Markdown:
    """Every section of a member state's page (tipkb.profile.SECTIONS)."""
    from . import profile

    return profile.profile(iso3, _lang())


# The data chapter ------------------------------------------------------------------------------

def coverage(table: str) -> myst.Markdown:
    """Which states have data in which years, for one table of the data package."""
    from .charts import regional
    from .page import figure

    lang = _lang()
    presence = data.table(table, columns=["iso3", "year", "source_id"]).drop_duplicates()
    chart = regional.coverage(presence[["iso3", "year"]].drop_duplicates(), data.table("countries"),
                              sorted(set(presence["source_id"])), lang)
    return figure(chart, f"coverage-{table}", lang)


def data_files() -> myst.Markdown:
    """The data package's tables: what each is, how many rows, and a download link."""
    lang = _lang()
    header = [labels.ui("col_table", lang), labels.ui("col_rows", lang), labels.ui("col_download", lang)]
    rows = []
    for resource in data.package()["resources"]:
        # Only the key columns: row counts do not depend on values.
        frame = data.table(resource["name"], columns=resource["schema"]["primaryKey"])
        rows.append([myst.text(labels.label("table", resource["name"], lang)), labels.number(len(frame), lang),
                     myst.link(resource["path"], f"/data/{resource['path']}")])
    rows.append([myst.text(labels.ui("datapackage_label", lang)), "", myst.link("datapackage.json", "/data/datapackage.json")])
    # The zip is assembled next to the languages (tipkb.build.extras), outside Sphinx: a plain link.
    zip_link = (f'<a href="../../downloads/{ZIP_NAME}" download>'
                f'{html.escape(labels.ui("download_all_data", lang))}</a>')
    return myst.Markdown(zip_link + "\n\n" + myst.table(header, rows))


# Indexes and the home page -----------------------------------------------------------------------

def tile_map(link_prefix: str = "") -> myst.Html:
    """The tile-grid map; ``link_prefix`` is the path from the page to book/countries/."""
    from . import tilemap

    return tilemap.tile_map(link_prefix, _lang())


def countries_table() -> myst.Markdown:
    from . import overview

    return overview.countries_table(_lang())


def practice_counts(link_prefix: str = "") -> myst.Html:
    """Practices per state and area; ``link_prefix`` is the path from the page to book/countries/."""
    from . import overview

    return overview.practice_counts(_lang(), link_prefix)


def key_figures() -> myst.Markdown:
    from . import overview

    return overview.key_figures(_lang())


def data_dates() -> myst.Markdown:
    from . import overview

    return overview.data_dates(_lang())


# Themes, OAS activities, glossary, references ----------------------------------------------------

def regional_chart(which: str) -> myst.Markdown:
    """A chart comparing member states (see tipkb.themes.regional_chart for the names)."""
    from . import themes

    return themes.regional_chart(which, _lang())


def theme_practices(theme: str) -> myst.Markdown:
    from . import themes

    return themes.theme_practices(theme, _lang())


def theme_measures(theme: str) -> myst.Markdown:
    from . import themes

    return themes.theme_measures(theme, _lang())


def area_catalogue(area: str) -> myst.Markdown:
    from . import themes

    return themes.area_catalogue(area, _lang())


def glossary() -> myst.Markdown:
    from . import themes

    return themes.glossary(_lang())


def references() -> myst.Markdown:
    from . import themes

    return themes.references(_lang())


def oas_events_table() -> myst.Markdown:
    from . import themes

    return themes.oas_events_table(_lang())


def rates_table(indicator: str) -> myst.Markdown:
    from . import themes

    return themes.rates_table(indicator, _lang())


# Measures in place ---------------------------------------------------------------------------------

def measures_matrix() -> myst.Html:
    from . import measures

    return measures.matrix(_lang())


def measures_legend() -> myst.Markdown:
    from . import measures

    return measures.legend(_lang())


def measure_page(measure: str) -> myst.Markdown:
    from . import measures

    return measures.measure_page(measure, _lang())


def measures_changes() -> myst.Markdown:
    from . import themes

    return themes.measures_changes(_lang())


def measures_downloads() -> myst.Markdown:
    """Links to the measures table in every language (written beside the data package zip, at
    the site's root: three levels up from book/measures/index.html)."""
    lang = _lang()
    links = []
    for code in langs.LANGS:
        name = langs.get(code).native_name
        links += [f'<a href="../../../downloads/measures-{code}.{ext}" download hreflang="{code}">{html.escape(name)} '
                  f'({ext.upper()})</a>' for ext in ("csv", "xlsx")]
    return myst.Markdown(myst.text(labels.ui("measures_download_intro", lang)) + " " + " · ".join(links))


def compare_page() -> myst.Html:
    from . import compare

    return compare.page(_lang())
