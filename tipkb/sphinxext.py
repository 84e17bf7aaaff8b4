"""Sphinx extension for the knowledge base.

- Language switcher and ``<link rel="alternate" hreflang>``: every page exists at the same path
  in every language (``_build/site/<lang>/<page>.html``), so the other language's page is
  ``../`` * depth + ``<lang>/<page>.html``.
- Page metadata from MyST front matter (kind, country, theme, area, description) becomes
  ``<meta>`` tags, OpenGraph tags and Pagefind filters.
- Pages whose executed outputs changed (the execution manifest written by
  ``tipkb.build.execute``) are re-read even though their source did not change.
"""
from __future__ import annotations

import html
import json
import subprocess
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import docname_to_domain

from . import extversion, labels, myst
from . import lang as langs


def _load_manifest(app: Sphinx) -> dict[str, str]:
    """docname -> output id of its current executed outputs."""
    path = app.config.kb_exec_manifest
    if not path or not Path(path).exists():
        return {}
    entries = json.loads(Path(path).read_text(encoding="utf-8"))
    return {doc: entry["output_id"] for doc, entry in entries.items()}


def _outdated_by_outputs(app, env, added, changed, removed):
    current = _load_manifest(app)
    seen = getattr(env, "kb_output_ids", {})
    return [
        doc
        for doc, output_id in current.items()
        if doc in env.found_docs and doc not in added and seen.get(doc) != output_id
    ]


def _static_digest(app) -> str:
    import hashlib

    digest = hashlib.sha256()
    for entry in app.config.html_static_path:
        folder = Path(app.confdir) / entry
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _static_changed(app, env, added, changed, removed):
    """Sphinx copies html_static_path only when it writes at least one page ("no targets are
    out of date" ends the build before): after a change to a script or a style alone, the site
    would keep the old one. Re-read the root page then, so that the files are copied."""
    digest = _static_digest(app)
    if getattr(env, "kb_static_digest", None) == digest:
        return []
    env.kb_static_digest = digest
    return [app.config.root_doc] if app.config.root_doc in env.found_docs else []


def _remember_outputs(app, env, docnames):
    current = _load_manifest(app)
    seen = dict(getattr(env, "kb_output_ids", {}))
    seen.update({doc: current[doc] for doc in docnames if doc in current})
    env.kb_output_ids = seen


def _titles_changed(app, env):
    """Every page carries the whole navigation (page titles in the sidebar), but Sphinx rewrites
    only the pages it re-read: after a title changes (an English edit, a new translation, a page
    added or removed), every other page would keep the old sidebar. Rewrite them all then."""
    titles = {doc: env.titles[doc].astext() for doc in env.found_docs if doc in env.titles}
    before = getattr(env, "kb_nav_titles", None)
    env.kb_nav_titles = titles
    return sorted(env.found_docs) if before is not None and before != titles else []


def page_url_in(lang: str, pagename: str) -> str:
    """Relative URL, from ``pagename`` in one language, of the same page in ``lang``."""
    depth = pagename.count("/") + 1  # +1 climbs out of the language folder
    return "../" * depth + f"{lang}/{pagename}.html"


def _meta(name: str, content: str, attr: str = "name") -> str:
    return f'<meta {attr}="{html.escape(name)}" content="{html.escape(str(content))}" />'


def _page_context(app: Sphinx, pagename, templatename, context, doctree):
    lang = app.config.language or langs.DEFAULT
    context["kb_lang"] = lang
    # The language menu: every other language, by its own name, with this page's address there.
    context["kb_alternates"] = [
        {"code": code, "name": langs.get(code).native_name, "url": page_url_in(code, pagename),
         "title": labels.ui("read_in", lang, language=langs.get(code).native_name)}
        for code in langs.others(lang)]
    if "generate_toctree_html" in context:
        context["generate_toctree_html"] = _named_toggles(context["generate_toctree_html"], lang)

    tags = [
        f'<link rel="alternate" hreflang="{code}" href="{page_url_in(code, pagename)}" />'
        for code in langs.LANGS
    ]
    meta = context.get("meta") or {}
    description = _description(doctree)
    if description:
        tags.append(_meta("description", description))
        tags.append(_meta("og:description", description, attr="property"))
    tags.append(_meta("og:site_name", app.config.html_title or app.config.project, attr="property"))
    title = context.get("title")
    if title:
        tags.append(_meta("og:title", html.unescape(str(title)), attr="property"))
    tags.append(_meta("og:type", "article", attr="property"))
    tags.append(_meta("og:locale", langs.get(lang).og_locale, attr="property"))
    for key in ("kind", "country", "theme", "area", "measure"):
        if meta.get(key):
            tags.append(f'<meta name="kb:{key}" content="{html.escape(str(meta[key]))}" />')
    context["metatags"] = context.get("metatags", "") + "\n".join(tags) + "\n"
    if pagename == "search":
        from .search import page_config

        context["kb_search_config"] = page_config(lang)
    if doctree is not None and "body" in context:
        updated = _last_updated(app, pagename, lang)
        if updated:
            context["last_updated"] = labels.date(updated, lang)
        context["body"] = _searchable(context["body"], meta, lang) + _citation(app, context, lang, updated)


def _named_toggles(generate, lang: str):
    """Wrap the theme's navigation builder so that each expand/collapse toggle (an empty
    <summary> with a chevron icon) has a name for screen readers (axe: summary-name)."""
    hidden = f'<span class="visually-hidden">{html.escape(labels.ui("toggle_section", lang))}</span>'

    def generate_with_names(*args, **kwargs):
        return str(generate(*args, **kwargs)).replace("<summary>", "<summary>" + hidden)

    return generate_with_names


def _description(doctree, limit: int = 160) -> str:
    """The page's first paragraph (in the page's language, after translation), shortened."""
    if doctree is None:
        return ""
    for para in doctree.findall(nodes.paragraph):
        if any(isinstance(a, (nodes.Admonition, nodes.figure, nodes.table)) for a in _ancestors(para)):
            continue
        text = " ".join(para.astext().split())
        if len(text) > 40:
            return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"
    return ""


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


def _git_dates(app: Sphinx) -> dict[str, str]:
    """Latest commit date of every file in the repository (empty outside a git checkout)."""
    cached = getattr(app, "_kb_git_dates", None)
    if cached is not None:
        return cached
    dates: dict[str, str] = {}
    try:
        out = subprocess.run(["git", "log", "--format=>%cs", "--name-only"], cwd=app.srcdir,
                             capture_output=True, text=True, timeout=30).stdout
        current = ""
        for line in out.splitlines():
            if line.startswith(">"):
                current = line[1:]
            elif line.strip():
                dates.setdefault(line.strip(), current)  # the log is newest first
    except (OSError, subprocess.SubprocessError):
        pass
    app._kb_git_dates = dates
    return dates


def _last_updated(app: Sphinx, pagename: str, lang: str) -> str:
    """Date of the last commit touching the page's source or, on translated pages, its .po file."""
    dates = _git_dates(app)
    candidates = [dates.get(f"{pagename}.md", "")]
    if lang != langs.DEFAULT:
        candidates.append(dates.get(f"locales/{lang}/LC_MESSAGES/{pagename}.po", ""))
    return max(candidates)


def _citation(app: Sphinx, context, lang: str, updated: str) -> str:
    """'How to cite this page', with the page's address and the reader's date filled in by kb.js."""
    title = html.unescape(str(context.get("title", "")))
    site = app.config.html_title or app.config.project
    year = (updated or str(app.config.copyright))[:4]
    # The sentence is interface text from the codebook: escaped like the values put into it.
    text = myst.html_fill(
        labels.label("ui", "cite_text", lang), title=html.escape(title), site=html.escape(site), year=html.escape(year),
        url='<span class="kb-cite-url">' + html.escape(labels.ui("cite_url_placeholder", lang)) + "</span>",
        date='<span class="kb-cite-date">' + html.escape(labels.ui("cite_date_placeholder", lang)) + "</span>")
    return (f'<aside class="kb-cite" data-pagefind-ignore aria-labelledby="kb-cite-title">'
            f'<p id="kb-cite-title" class="kb-cite-title">{html.escape(labels.ui("cite_title", lang))}</p>'
            f'<p class="kb-cite-text">{text}</p></aside>')


def search_filters(meta: dict, lang: str) -> dict[str, list[str]]:
    """Pagefind filters of a page, named and valued in the page's language (from the codebook)."""
    filters: dict[str, list[str]] = {}
    if meta.get("kind"):
        filters[labels.ui("filter_kind", lang)] = [labels.label("kind", meta["kind"], lang)]
    if meta.get("country"):
        filters[labels.ui("filter_country", lang)] = [labels.country(meta["country"], lang)]
    if meta.get("theme"):
        filters[labels.ui("filter_theme", lang)] = [labels.label("theme", t.strip(), lang)
                                                    for t in str(meta["theme"]).split(",")]
    if meta.get("area"):
        filters[labels.ui("filter_area", lang)] = [labels.label("area", meta["area"], lang)]
    if meta.get("measure"):
        filters[labels.ui("filter_measure", lang)] = [labels.label("measure", meta["measure"], lang)]
    return filters


def _searchable(body: str, meta: dict, lang: str) -> str:
    """Mark the article for Pagefind (pages without the mark, like the index, are not indexed)."""
    spans = "".join(
        f'<span data-pagefind-filter="{html.escape(name)}:{html.escape(value)}"></span>'
        for name, values in search_filters(meta, lang).items() for value in values)
    hidden = f'<div hidden>{spans}</div>' if spans else ""
    return f'<div data-pagefind-body>{hidden}{body}</div>'



class TranslateTocCaptions(SphinxTransform):
    """Translate the part captions of _toc.yml.

    sphinx-external-toc inserts the toctrees (transform priority 100) after Sphinx has applied
    translations (priority 20), so their captions would stay English although the gettext
    builder extracts them into the root chapter's catalog.
    """
    default_priority = 101

    def apply(self, **kwargs) -> None:
        language = self.config.language
        captions = [n for n in self.document.findall(addnodes.toctree) if n.get("caption")]
        if not captions or not language or language == langs.DEFAULT:
            return
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        dirs = [str(Path(self.app.srcdir) / d) for d in self.config.locale_dirs]
        catalog, _ = init_locale(dirs, language, domain)
        for node in captions:
            node["caption"] = catalog.gettext(node["caption"])


def setup(app: Sphinx):
    from .outputsections import OutputSections

    app.add_transform(TranslateTocCaptions)
    app.add_transform(OutputSections)
    app.add_config_value("kb_exec_manifest", "", "env")
    app.connect("env-get-outdated", _outdated_by_outputs)
    app.connect("env-get-outdated", _static_changed)
    app.connect("env-before-read-docs", _remember_outputs)
    app.connect("env-get-updated", _titles_changed)
    # After the theme (priority 500) has put its navigation builder in the context.
    app.connect("html-page-context", _page_context, priority=900)
    return extversion.metadata("sphinxext.py", "outputsections.py", "labels.py", "myst.py", "lang.py", "search.py")
