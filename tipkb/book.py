"""What book pages call: one function per element (a whole country profile, a chart, a table).

A page holds words; its code cells are one call each, e.g. ``kb.coverage("glotip")``. The
language comes from the build (tipkb.lang), so the same page source renders every edition.
"""
from __future__ import annotations

import html
import importlib

from . import data, labels, myst
from . import lang as langs
from .paths import DATA_ZIP as ZIP_NAME


def _lang() -> str:
    return langs.current()


def _in_page_language(module: str, name: str, doc: str = "", lang_first: bool = False):
    """``tipkb.<module>.<name>`` called with the language of the page being built (the module is
    imported on first use: a page imports only what it shows)."""
    def call(*args):
        target = getattr(importlib.import_module(f"{__package__}.{module}"), name)
        return target(_lang(), *args) if lang_first else target(*args, _lang())
    call.__name__ = call.__qualname__ = name
    call.__doc__ = doc or f"``tipkb.{module}.{name}`` in the page's language."
    return call


# Country pages ---------------------------------------------------------------------------------

country_profile = _in_page_language(
    "profile", "profile", "Every section of a member state's page (tipkb.profile.SECTIONS).")


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


countries_table = _in_page_language("overview", "countries_table")
practice_counts = _in_page_language(
    "overview", "practice_counts",
    "Practices per state and area; ``link_prefix`` is the path from the page to book/countries/.", lang_first=True)
key_figures = _in_page_language("overview", "key_figures")
data_dates = _in_page_language("overview", "data_dates")


# Themes, OAS activities, glossary, references ----------------------------------------------------

regional_chart = _in_page_language(
    "themes", "regional_chart", "A chart comparing member states (see tipkb.themes.regional_chart for the names).")

theme_practices = _in_page_language("themes", "theme_practices")
theme_measures = _in_page_language("themes", "theme_measures")
area_catalogue = _in_page_language("themes", "area_catalogue")
glossary = _in_page_language("themes", "glossary")
references = _in_page_language("themes", "references")
oas_events_table = _in_page_language("themes", "oas_events_table")
rates_table = _in_page_language("themes", "rates_table")


# Measures in place ---------------------------------------------------------------------------------

measures_matrix = _in_page_language("measures", "matrix")
measures_legend = _in_page_language("measures", "legend")
measure_page = _in_page_language("measures", "measure_page")
measures_changes = _in_page_language("themes", "measures_changes")


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


compare_page = _in_page_language("compare", "page")
