"""Page elements: what a notebook cell displays (MyST blocks), and the files they link to.

Chart images and their CSV data are written to ``_build/assets/<lang>/<content hash>/`` and
referenced from the MyST output; Sphinx copies them into the site. The hash in the path means a
changed chart gets a new address (no stale browser caches) and identical inputs give identical
files. Every file written is noted, so the build can check that cached pages still have theirs.
"""
from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field

import pandas as pd

from . import labels, myst, paths, style
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
    # UTF-8 with a byte-order mark: without it Excel reads accented names wrongly.
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


FIXED_TIME = (2026, 1, 1, 0, 0, 0)  # zip entries need a date; a fixed one keeps files reproducible


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """The same tables as a spreadsheet (one sheet each), reproducible byte for byte."""
    import datetime as dt
    import zipfile

    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            # Sheet names: at most 31 characters, none of []:*?/\
            frame.to_excel(writer, sheet_name=re.sub(r"[\[\]:*?/\\]", "", name)[:31].strip(), index=False)
        for sheet in writer.book.worksheets:
            for column in sheet.columns:
                width = max(len(str(c.value if c.value is not None else "")) for c in column)
                sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, width + 2))
        writer.book.properties.created = writer.book.properties.modified = dt.datetime(*FIXED_TIME)
    # openpyxl stamps the zip entries, and the "modified" property as it saves, with the current
    # time: rewrite them with a fixed one.
    stamp = dt.datetime(*FIXED_TIME).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    fixed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as src, \
            zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            clone = zipfile.ZipInfo(info.filename, FIXED_TIME)
            clone.compress_type = zipfile.ZIP_DEFLATED
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", body)
            dst.writestr(clone, body)
    return fixed.getvalue()


@dataclass
class Chart:
    """What a chart function returns: the figure, the data behind it, and words about it.

    The page's section heading is the chart's title, so the image carries none; the image does
    carry its source line and data date, so that it keeps them wherever it is shared."""
    fig: object
    data: pd.DataFrame
    caption: str
    alt: str
    sources: list[str]
    notes: list[str] = field(default_factory=list)


@dataclass
class NoChart:
    """Why there is no chart, in one sentence the page shows instead (no data, only suppressed
    counts...)."""
    sentence: str


def figure(chart: Chart | NoChart, slug: str, lang: str | None = None) -> myst.Markdown:
    """A chart with caption, alt text, source line and CSV download; or the sentence of a NoChart."""
    from . import sources

    lang = lang or langs.current()
    if isinstance(chart, NoChart):
        return myst.Markdown(myst.text(chart.sentence))
    payload, ext = image_bytes(chart.fig)
    image = save_asset(payload, f"{slug}.{ext}", lang)
    table = save_asset(csv_bytes(chart.data), f"{slug}.csv", lang)
    import matplotlib.pyplot as plt

    plt.close(chart.fig)
    # Captions, notes and download links repeat from page to page: search indexes the heading above.
    body = [myst.unindexed(myst.text(chart.caption))]
    body += [myst.unindexed(myst.text(note)) for note in chart.notes]
    # The source line is drawn in the image; screen readers get it here, once.
    body.append(myst.hidden(sources.line(chart.sources, lang)) + " "
                + myst.unindexed(myst.link(labels.ui("download_csv", lang), f"/{table}")))
    return myst.Markdown(myst.fence("figure", f"/{image}", {"alt": myst.option(chart.alt), "class": "kb-chart"},
                                    "\n\n".join(body)))
