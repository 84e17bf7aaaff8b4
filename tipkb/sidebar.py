"""Sphinx extension: part captions that link to the part's index page.

In _toc.yml a part such as "Member states" starts with its index page (``book/countries/index``,
titled "Member states" too) and lists its pages after it. The theme would draw the caption and
then the index page as a first entry with the same name; here the caption itself becomes the link
to the index page and the entry is dropped, so the sidebar reads

    MEMBER STATES          (link to the overview)
      Antigua and Barbuda
      Argentina ...

with every page at the top level: nothing to expand, every page one tap away once the menu is
open. Which entry is an index page is read from its address (``…/index.html``), not its title, so
both languages get the same structure whatever the translations say.
"""
from __future__ import annotations

import re

from sphinx.application import Sphinx

from . import extversion

PART = re.compile(
    r'<p aria-level="2" class="caption" role="heading"><span class="caption-text">(?P<caption>.*?)</span></p>\s*'
    r'<ul class="(?P<ul>[^"]*)">\s*'
    r'<li class="toctree-l1(?P<li>[^"]*)"><a class="(?P<a>[^"]*)" href="(?P<href>[^"]*)">[^<]*</a></li>\s*',
    re.S)


def link_part_captions(html: str, pagename: str) -> str:
    """Turn each caption followed by its part's index page into a link to that page."""

    def merge(m: re.Match) -> str:
        href = m["href"]
        is_index = href.split("#")[0].endswith("index.html") or (href == "#" and pagename.endswith("/index"))
        if not is_index:
            return m.group(0)
        current = " current" in f" {m['a']}"
        attrs = f'class="{m["a"]} caption-text" href="{href}"' + (' aria-current="page"' if current else "")
        return (f'<p aria-level="2" class="caption kb-part-link{" current" if current else ""}" role="heading">'
                f'<a {attrs}>{m["caption"]}</a></p>\n<ul class="{m["ul"]}">\n')

    return PART.sub(merge, html)


def _wrap(generate, pagename: str):
    def generate_with_part_links(*args, **kwargs):
        html = str(generate(*args, **kwargs))
        return link_part_captions(html, pagename) if kwargs.get("kind") == "sidebar" else html

    return generate_with_part_links


def _page_context(app: Sphinx, pagename, templatename, context, doctree):
    if "generate_toctree_html" in context:
        context["generate_toctree_html"] = _wrap(context["generate_toctree_html"], pagename)


def setup(app: Sphinx):
    # After the theme (500) and tipkb.sphinxext (900) have set up the navigation builder.
    app.connect("html-page-context", _page_context, priority=950)
    return extversion.metadata("sidebar.py")
