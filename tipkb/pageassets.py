"""Sphinx extension: what each page loads, cut down to what it uses.

- The icon font. pydata-sphinx-theme ships Font Awesome twice: ``fontawesome.js`` (1.45 MB, every
  icon as SVG drawn by script; no longer loaded, see _templates/layout.html) and the CSS with its
  webfont (``fa-solid-900.woff2``, 156 KB). The theme's CSS draws every ``fa-*`` icon and its own
  decorations (admonitions, download links) with that font, so once the build is finished this
  extension cuts the font down to the glyphs the site uses: the ``fa-*`` classes in the pages and
  the theme's scripts, and the icon characters the theme's style sheets use outside the per-icon
  classes. The result (``_static/kb-icons.woff``, a few KB) is declared in _static/kb.css after
  the theme's ``@font-face``, so browsers fetch it instead of the theme's font.
- Scripts and styles a page does not need: sphinx-thebe's (launch buttons are off; its settings
  script is added twice and the second copy fails with "Identifier 'THEBE_JS_URL' has already
  been declared"), exact duplicates, and the copy button, toggle button and tab scripts on pages
  with no code block, no toggle and no tab set; the head's copy of the search page's script (that
  page loads it itself, after its settings).
"""
from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from . import extversion

logger = logging.getLogger(__name__)

FONT_FILE = "kb-icons.woff"  # named in _static/kb.css
THEME_FONT = "vendor/fontawesome/webfonts/fa-solid-900.ttf"  # the TTF: reading WOFF2 needs brotli
THEME_CSS = ("styles/pydata-sphinx-theme.css", "styles/sphinx-book-theme.css")
THEME_JS = ("scripts/pydata-sphinx-theme.js", "scripts/sphinx-book-theme.js")

#: asset file name -> what a page's body must contain for the asset to be useful there
NEEDS = {
    "clipboard.min.js": ('class="highlight',),
    "copybutton.js": ('class="highlight',),
    "copybutton.css": ('class="highlight',),
    "pygments.css": ('class="highlight',),
    "togglebutton.js": ("toggle", "dropdown"),
    "togglebutton.css": ("toggle", "dropdown"),
    "design-tabs.js": ("sd-tab-set",),
    # Jupyter Book puts every script of _static in every page's head; the search page's template
    # loads this one itself, after the settings it reads (no page's body has them).
    "kb-search.js": ('id="kb-search-config"',),
    # The matrix and comparison pages load these in their body, after the elements they use.
    "kb-matrix.js": (),
    "kb-compare.js": (),
}
#: inline settings scripts that belong to an asset above
SETTINGS = {"toggleHint": "togglebutton.js", "toggleOpenOnPrint": "togglebutton.js",
            "togglebuttonSelector": "togglebutton.js"}
UNUSED = ("sphinx-thebe", "THEBE_JS_URL")

ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:(?:before|after),?)+)\{content:"([^"]*)"\}')
ICON_CLASS = re.compile(r"\bfa-[a-z0-9-]+")
ESCAPE = re.compile(r"\\([0-9a-fA-F]{4,5})")
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _name(asset) -> str:
    filename = getattr(asset, "filename", asset) or ""
    return str(filename).rsplit("/", 1)[-1].split("?", 1)[0]


def _body(asset) -> str:
    return str(getattr(asset, "attributes", {}).get("body", ""))


def _useful(asset, body: str) -> bool:
    name, inline = _name(asset), _body(asset)
    if any(mark in name or mark in inline for mark in UNUSED):
        return False
    owner = name or next((file for key, file in SETTINGS.items() if key in inline), "")
    needs = NEEDS.get(owner)
    return needs is None or any(mark in body for mark in needs)


def _trim_assets(app: Sphinx, pagename, templatename, context, doctree):
    body = context.get("body", "")
    for key in ("script_files", "css_files"):
        if key not in context:
            continue
        kept, seen = [], set()
        for asset in context[key]:
            identity = (str(getattr(asset, "filename", asset)), _body(asset))
            if identity in seen or not _useful(asset, body):
                continue
            seen.add(identity)
            kept.append(asset)
        context[key] = kept


def _codepoints(text: str) -> set[int]:
    chars = {ord(c) for c in PRIVATE_USE.findall(text)}
    return chars | {int(h, 16) for h in ESCAPE.findall(text) if 0xE000 <= int(h, 16) <= 0xF8FF}


def icons_used(outdir: Path) -> set[int]:
    """Code points of the icon glyphs the built site can show."""
    static = outdir / "_static"
    css = "".join((static / name).read_text(encoding="utf-8") for name in THEME_CSS if (static / name).exists())
    by_class: dict[str, set[int]] = {}
    for selectors, content in ICON_RULE.findall(css):
        for cls in re.findall(r"\.(fa-[a-z0-9-]+):", selectors):
            by_class.setdefault(cls, set()).update(_codepoints(content))
    # the theme's own decorations (admonition icons, download links, the contents chevron, ...)
    used = _codepoints(ICON_RULE.sub("", css))
    texts = [p.read_text(encoding="utf-8") for p in outdir.rglob("*.html") if "_static" not in p.parts]
    texts += [(static / name).read_text(encoding="utf-8") for name in THEME_JS if (static / name).exists()]
    for text in texts:
        for cls in set(ICON_CLASS.findall(text)):
            used |= by_class.get(cls, set())
    return used


def write_icon_font(app: Sphinx, exception) -> None:
    if exception or app.builder.format != "html":
        return
    from fontTools import subset
    from fontTools.ttLib import TTFont

    outdir = Path(app.outdir)
    source = outdir / "_static" / THEME_FONT
    if not source.exists():
        logger.warning("tipkb.pageassets: %s not found; icons fall back to the theme's font", source)
        return
    options = subset.Options()
    options.flavor = "woff"
    options.name_IDs = ["*"]  # keep the font's copyright and licence records (SIL OFL 1.1)
    options.layout_features = []
    font = TTFont(source, recalcTimestamp=False)  # reproducible: keep the font's own date
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(icons_used(outdir)))
    subsetter.subset(font)
    target = outdir / "_static" / FONT_FILE
    font.flavor = "woff"
    font.save(str(target), reorderTables=True)


def setup(app: Sphinx):
    # After every other extension has added its files to the page (Sphinx sorts them afterwards).
    app.connect("html-page-context", _trim_assets, priority=990)
    app.connect("build-finished", write_icon_font)
    return extversion.metadata("pageassets.py")
