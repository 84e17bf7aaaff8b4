"""One visual style for every chart: colour-blind-safe colours, sizes legible on a phone."""
from __future__ import annotations

import matplotlib as mpl

# Okabe and Ito's colour-blind-safe palette (Color Universal Design).
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
GREY = "#6b6b6b"
LIGHT = "#d9d9d9"
SUPPRESSED = "#8c8c8c"

WIDTH_IN = 6.4   # drawn at 6.4 in, shown at the column width: text stays legible at phone width
DPI = 150

RC = {
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "font.size": 12.5,
    "axes.titlesize": 14,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 12.5,
    "xtick.labelsize": 11.5,
    "ytick.labelsize": 11.5,
    "legend.fontsize": 11.5,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#e6e6e6",
    "axes.prop_cycle": mpl.cycler(color=OKABE_ITO),
    # DejaVu Sans draws the PNGs; SVG text names fallbacks for readers without it (Verdana has
    # near-identical widths, so labels keep their room).
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Verdana"],
    "svg.fonttype": "none",
    "svg.hashsalt": "tipkb",
    "path.simplify": True,
}


def context():
    """Use as ``with style.context():`` around figure creation."""
    return mpl.rc_context(RC)
