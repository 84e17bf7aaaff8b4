"""A tile-grid map of the 35 member states: every state the same size, so that the small
Caribbean states are as visible (and as easy to tap) as Brazil.

The layout is this project's own, drawn to keep neighbours roughly where a reader expects them:
North America at the top, the Central American isthmus down the left, the Caribbean islands to
the right, South America at the bottom.
"""
from __future__ import annotations

import html

from . import data, labels, myst
from .charts import layout

# (row, column) of each state in a 12 x 9 grid.
LAYOUT = {
    "CAN": (1, 4),
    "USA": (2, 4),
    "MEX": (3, 2), "BHS": (3, 6),
    "GTM": (4, 2), "BLZ": (4, 3), "CUB": (4, 5), "JAM": (4, 6), "HTI": (4, 7), "DOM": (4, 8), "KNA": (4, 9),
    "SLV": (5, 2), "HND": (5, 3), "ATG": (5, 9),
    "NIC": (6, 3), "DMA": (6, 9),
    "CRI": (7, 3), "LCA": (7, 9),
    "PAN": (8, 4), "VCT": (8, 8), "BRB": (8, 9),
    "COL": (9, 4), "VEN": (9, 5), "TTO": (9, 7), "GRD": (9, 8),
    "ECU": (10, 3), "PER": (10, 4), "BRA": (10, 5), "GUY": (10, 6), "SUR": (10, 7),
    "BOL": (11, 4), "PRY": (11, 5),
    "CHL": (12, 3), "ARG": (12, 4), "URY": (12, 5),
}


def tile_map(link_prefix: str, lang: str) -> myst.Html:
    """The map as HTML: a CSS grid of links, coloured by subregion, with a legend.

    Each tile is placed on the grid by its (row, column); the links themselves come by subregion,
    then by name in the page's language, as in the key-facts table: that is the order of the
    keyboard and of screen readers, and of the list of named tiles that replaces the map on
    phones, where nine columns of tiles would be narrower than a finger (_static/kb.css)."""
    countries = layout.ordered_countries(data.table("countries"), lang)
    tiles = []
    for row_ in countries.itertuples(index=False):
        iso3, name, sub = row_.iso3, getattr(row_, f"name_{lang}"), row_.subregion
        row, col = LAYOUT[iso3]
        tiles.append(
            f'<a class="kb-tile kb-sub-{sub}" style="grid-row:{row};grid-column:{col}" '
            f'href="{html.escape(link_prefix)}{iso3.lower()}.html" title="{html.escape(name)}">'
            f'<span class="kb-tile-code" aria-hidden="true">{iso3}</span>'
            f'<span class="kb-tile-name">{html.escape(name)}</span></a>')
    legend = "".join(
        f'<li><span class="kb-swatch kb-sub-{code}" aria-hidden="true"></span>{html.escape(labels.label("subregion", code, lang))}</li>'
        for code in ("northern_america", "central_america", "caribbean", "south_america"))
    heading = html.escape(labels.ui("tilemap_label", lang))
    return myst.Html(f'<nav class="kb-tilemap-wrap" aria-label="{heading}"><div class="kb-tilemap">{"".join(tiles)}</div>'
                     f'<ul class="kb-tilemap-legend">{legend}</ul></nav>')
