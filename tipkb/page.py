"""Page elements: what a notebook cell displays (MyST blocks), and the files they link to.

Chart images and their CSV data are written to ``_build/assets/<lang>/<content hash>/`` and
referenced from the MyST output; Sphinx copies them into the site. The hash in the path means a
changed chart gets a new address (no stale browser caches) and identical inputs give identical
files. Every file written is noted, so the build can check that cached pages still have theirs.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field

import pandas as pd

from . import data, labels, myst, paths, style
from . import lang as langs

_assets: list[str] = []


def take_assets() -> list[str]:
    """The files written since the last call (the build stores them with the page's outputs)."""
    written = sorted(set(_assets))
    _assets.clear()
    return written


def save_asset(payload: bytes, filename: str, lang: str) -> str:
    """Write bytes under _build/assets and return their path relative to the repository root."""
    digest = hashlib.sha256(payload).hexdigest()[:16]
    target = paths.ASSETS / lang / digest / filename
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".tmp")
        tmp.write_bytes(payload)
        tmp.replace(target)
    rel = target.relative_to(paths.ROOT).as_posix()
    _assets.append(rel)
    return rel


def png_bytes(fig) -> bytes:
    """The figure as a palette PNG: charts use few colours, so this is a fraction of the size."""
    from PIL import Image

    raw = io.BytesIO()
    fig.savefig(raw, format="png", metadata={"Software": None})
    image = Image.open(raw).convert("RGB").quantize(colors=96, method=Image.Quantize.FASTOCTREE,
                                                     dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def svg_bytes(fig) -> bytes:
    """The figure as SVG with text kept as text (sharp at any zoom, a fallback font list per label)."""
    out = io.BytesIO()
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return out.getvalue()


def image_bytes(fig) -> tuple[bytes, str]:
    """Whichever of optimised PNG and SVG is smaller for this chart, with its file extension.

    Measured on the book's charts: SVG wins for sparse charts (few bars, short labels), the palette
    PNG for dense ones (many markers, tile grids); see docs/performance.md."""
    with style.context():  # savefig reads the SVG settings (text as text, fixed ids) at save time
        png, svg = png_bytes(fig), svg_bytes(fig)
    return (svg, "svg") if len(svg) < len(png) else (png, "png")


def csv_bytes(frame: pd.DataFrame) -> bytes:
    # UTF-8 with BOM so that spreadsheet programs show accented names correctly.
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def source_line(source_ids: list[str], lang: str) -> str:
    """'Source: UNODC, … (data as of 14 April 2025).' in the page's language."""
    sources = data.table("sources", source_id=list(source_ids)).set_index("source_id")
    parts = []
    for sid in source_ids:
        name = labels.label("source_line", sid, lang)
        as_of = sources.loc[sid, "as_of"]
        if not as_of:
            parts.append(name)
        else:
            key = "source_as_of_year" if len(as_of) == 4 else "source_as_of"
            parts.append(labels.ui(key, lang, source=name, date=labels.date(as_of, lang)))
    key = "source_one" if len(parts) == 1 else "source_many"
    return labels.ui(key, lang, sources="; ".join(parts))


@dataclass
class Chart:
    """What a chart function returns: the figure, the data behind it, and words about it."""
    fig: object
    data: pd.DataFrame
    title: str
    caption: str
    alt: str
    sources: list[str]
    notes: list[str] = field(default_factory=list)


def figure(chart: Chart | None, slug: str, no_data: str = "", lang: str | None = None) -> myst.Markdown:
    """A chart with caption, alt text, source line and CSV download; or one sentence if no data."""
    lang = lang or langs.current()
    if chart is None:
        return myst.Markdown(myst.text(no_data))
    payload, ext = image_bytes(chart.fig)
    image = save_asset(payload, f"{slug}.{ext}", lang)
    table = save_asset(csv_bytes(chart.data), f"{slug}.csv", lang)
    import matplotlib.pyplot as plt

    plt.close(chart.fig)
    body = [f"**{myst.text(chart.title)}** {myst.text(chart.caption)}"]
    body += [myst.text(note) for note in chart.notes]
    body.append(myst.text(source_line(chart.sources, lang)) + " "
                + myst.link(labels.ui("download_csv", lang), f"/{table}"))
    return myst.Markdown(myst.fence("figure", f"/{image}", {"alt": myst.option(chart.alt), "class": "kb-chart"},
                                    "\n\n".join(body)))
