"""Helpers that read built HTML the way the tests need (links, visible text, attributes)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class PageParser(HTMLParser):
    """Collects links, ids, visible text and reader-facing attributes of one page."""

    READER_ATTRS = ("title", "aria-label", "placeholder", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []   # (tag, url)
        self.ids: set[str] = set()
        self.texts: list[str] = []
        self.attrs_text: list[str] = []
        self.html_lang = None
        self.alternates: dict[str, str] = {}
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag in ("script", "style"):
            self._skip += 1
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "link" and attrs.get("rel") == "alternate" and attrs.get("hreflang"):
            self.alternates[attrs["hreflang"]] = attrs["href"]
        for name in ("href", "src"):
            if attrs.get(name) and tag in ("a", "img", "script", "link"):
                self.links.append((tag, attrs[name]))
        self.attrs_text += [attrs[a] for a in self.READER_ATTRS if attrs.get(a)]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data.strip())


def squash(text: str) -> str:
    """Runs of ASCII whitespace as one space. Not str.split(): it also splits on the narrow
    no-break space that groups digits (12 345), which the tests must see."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def resolve(page: Path, url: str) -> tuple[Path, str] | None:
    """The local file and fragment a same-site URL points to, or None for external URLs."""
    parts = urlsplit(url)
    if parts.scheme or url.startswith(("//", "mailto:", "data:", "javascript:")):
        return None
    if not parts.path:
        return page, parts.fragment
    target = (page.parent / unquote(parts.path)).resolve()
    if target.is_dir():
        target = target / "index.html"
    return target, parts.fragment
