"""Writing MyST Markdown from data safely.

Text that comes from data files (names, descriptions, notes) and interface text from the codebook
are escaped so that Markdown, MyST roles and directives and raw HTML in them render as plain text:
a note containing ``<script>`` or ``{download}`` shows those characters, it does not run or link
anything. Sentences with ``{placeholders}`` are filled with :func:`fill` (Markdown) or
:func:`html_fill` (HTML): the sentence is escaped, the values are inserted as the caller built them.
"""
from __future__ import annotations

import html
import json
import re
import string
from urllib.parse import quote

_PUNCT = set(string.punctuation)
_FORMATTER = string.Formatter()


def _escape(value: str) -> str:
    return "".join("\\" + ch if ch in _PUNCT else ch for ch in value)


_SPACE = re.compile(r"[ \t\r\n\f\v]+")


def one_line(value) -> str:
    """A data string on one line: runs of ordinary whitespace become one space. Not str.split(),
    which would also remove the narrow no-break space that groups digits (12 345)."""
    return _SPACE.sub(" ", str(value)).strip()


def text(value) -> str:
    """Escape a data string for use inside a Markdown paragraph or table cell."""
    return _escape(one_line(value))  # no line breaks: a data string never starts a block


def _fill(template: str, escape, values: dict) -> str:
    out = []
    for literal, name, spec, conversion in _FORMATTER.parse(template):
        out.append(escape(literal.replace("\n", " ")))
        if name is not None:
            value = _FORMATTER.convert_field(_FORMATTER.get_field(name, (), values)[0], conversion)
            out.append(_FORMATTER.format_field(value, spec or ""))
    return "".join(out)


def fill(template: str, **values) -> str:
    """A codebook sentence as Markdown: its own words escaped, ``{placeholders}`` replaced by
    ``values`` as given (escape data with :func:`text`, or pass markup built here)."""
    return _fill(template, _escape, values)


def html_fill(template: str, **values) -> str:
    """A codebook sentence as HTML: its own words escaped, ``{placeholders}`` replaced by
    ``values`` as given (escaped by the caller)."""
    return _fill(template, html.escape, values)


_URL_UNSAFE = re.compile(r'[\s|<>"`\\]')


def _url(target: str) -> str:
    """An address made safe for a Markdown table cell, a ``<...>`` link destination and an HTML
    attribute: white space, ``|``, ``<``, ``>``, quotes and backslashes percent-encoded, as a
    browser would send them."""
    return _URL_UNSAFE.sub(lambda m: quote(m.group(0), safe=""), str(target).strip())


# Markup that interface text and translations must not bring in: they are plain text, and a tag, a
# role, a directive, a substitution or a link in them would be rendered (or run) on every page.
MARKUP = {
    "HTML tag or comment": re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>?"),
    "MyST role": re.compile(r"\{[A-Za-z][\w:+.-]*\}`"),
    "directive fence": re.compile(r"(?m)^\s*(?:`{3,}|~{3,}|:{3,})"),
    "substitution": re.compile(r"\{\{.*?\}\}", re.S),
    "link target": re.compile(r"\]\(\s*<?([^)>\s]*)"),
    "link definition": re.compile(r"(?m)^\s*\[[^\]]+\]:\s*\S+"),
    "address": re.compile(r"(?<![\w.+-])(?:https?|ftp|mailto|javascript|data|vbscript):[^\s)>\]\"']+", re.I),
}


def markup_in(value: str) -> list[tuple[str, str]]:
    """(kind, text) of each piece of markup in a string (see MARKUP)."""
    return [(kind, " ".join(m.group(1 if pattern.groups else 0).split()))
            for kind, pattern in MARKUP.items() for m in pattern.finditer(value)]


def hidden(value) -> str:
    """Text for screen readers only (and not indexed by search), as inline HTML."""
    return ('<span class="visually-hidden" data-pagefind-ignore>'
            + html.escape(one_line(value)) + "</span>")


def unindexed(markup: str) -> str:
    """Inline Markdown that readers see and search leaves out: text that repeats on many pages
    (chart captions, source lines, download links), which would otherwise outrank what a page is
    about. ``markup`` is escaped already (:func:`text`, :func:`link`)."""
    return f"<span data-pagefind-ignore>{markup}</span>"


def unindexed_block(markdown: str) -> str:
    """Blocks of Markdown (a list, paragraphs) that search leaves out, as :func:`unindexed`."""
    return f"<div data-pagefind-ignore>\n\n{markdown}\n\n</div>"


def weighted(markup: str, weight: float) -> str:
    """Inline Markdown that counts ``weight`` times as much for search (Pagefind: 0 to 10, squared),
    such as the name of a practice or of a measure. ``markup`` is escaped already."""
    return f'<span data-pagefind-weight="{weight:g}">{markup}</span>'


def named(name, translation: str = "", style: str = "") -> str:
    """An official name in its own language, then its translation into the page's language:
    "**Ley 26.842 (…)** — Law 26.842 (…)". A dash, not parentheses: names often end with one."""
    mark = {"bold": "**", "italic": "*"}.get(style, "")
    out = f"{mark}{text(name)}{mark}"
    return out + (f" — {text(translation)}" if translation else "")


def option(value) -> str:
    """A directive option value (e.g. ``:alt:``) as a YAML double-quoted string."""
    return json.dumps(one_line(value), ensure_ascii=False)


def link(label: str, target: str, lang: str = "") -> str:
    """A link whose label is escaped data; ``lang`` marks a label in another language than the
    page (screen readers then pronounce it right, and checks of the page's language skip it).

    Links to other sites are written as HTML: MyST escapes "&" in a Markdown link's address once
    and Sphinx escapes it again ("?a=1&amp;amp;b=2"), which breaks addresses with query strings.
    Links inside the book stay Markdown, so that Sphinx resolves them (pages, downloads)."""
    target = _url(target)
    if target.startswith(("http://", "https://")):
        marked = f' lang="{html.escape(lang)}"' if lang else ""
        shown = html.escape(one_line(label)).replace("|", "&#124;")
        return f'<a class="reference external" href="{html.escape(target, quote=True)}"{marked}>{shown}</a>'
    return f"[{text(label)}](<{target}>)"


def foreign(value, lang: str) -> str:
    """Inline text in another language than the page's, marked as such."""
    return f'<span lang="{html.escape(lang)}">{html.escape(one_line(value))}</span>'


def page_link(label: str, page: str, anchor: str = "") -> str:
    """A link from a generated page of a book section (book/<section>/<page>, where every page
    calling this lives) to another page of the book, e.g. ``page_link("Argentina",
    "countries/arg", "arg-practices")``. Plain HTML rather than a Sphinx cross-reference: the
    page and its anchor are generated, and a partial book (a test copy) must still build; the
    tests check that every such link resolves."""
    href = f"../{page}.html" + (f"#{anchor}" if anchor else "")
    return (f'<a class="reference internal" href="{html.escape(href, quote=True)}">'
            f'{html.escape(one_line(label))}</a>')


_BARE_PIPE = re.compile(r"(?<!\\)\|")


def _cell(markup: str) -> str:
    """One table cell on one line, every ``|`` escaped: the table parser splits cells on bare
    pipes before anything else is parsed, even inside links, roles and HTML attributes."""
    return _BARE_PIPE.sub(r"\\|", one_line(markup))


def table(header: list[str], rows: list[list[str]], classes: list[str] | None = None) -> str:
    """A Markdown table. Header cells are plain text (escaped here); body cells must already be
    escaped (or be links/markup built by this module). With ``classes`` the table is wrapped in a
    ``{table}`` directive that carries them."""
    lines = ["| " + " | ".join(text(h) for h in header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    body = "\n".join(lines)
    return fence("table", "", {"class": " ".join(classes)}, body) if classes else body


def fence(directive: str, argument: str = "", options: dict | None = None, body: str = "", colons: int = 3) -> str:
    """A colon-fenced directive block."""
    marks = ":" * colons
    head = f"{marks}{{{directive}}}" + (f" {argument}" if argument else "")
    opts = [f":{k}: {v}" for k, v in (options or {}).items() if v is not None]
    return "\n".join([head, *opts, "", body, marks]) if body else "\n".join([head, *opts, marks])


class Markdown:
    """A block of MyST Markdown that notebooks display (rendered by MyST-NB as MyST)."""

    def __init__(self, source: str):
        self.source = source

    def _repr_markdown_(self) -> str:
        return self.source

    def __repr__(self) -> str:  # the text/plain fallback stays short
        return "<MyST block>"

    def __add__(self, other: Markdown) -> Markdown:
        return Markdown(self.source + "\n\n" + other.source)


class Html:
    """A block of HTML that notebooks display (MyST-NB passes it through); build it escaped."""

    def __init__(self, source: str):
        self.source = source

    def _repr_html_(self) -> str:
        return self.source

    def __repr__(self) -> str:
        return "<HTML block>"
