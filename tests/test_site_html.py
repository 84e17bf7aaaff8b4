"""The built site, read as files: same pages in both languages, links that resolve, language
markup, no English interface text on Spanish pages, complete translations."""
from __future__ import annotations

import pytest

from tipkb.build import translations

from conftest import LANGS, html_pages
from sitecheck import parse, resolve

# Interface strings of Sphinx and the theme that must not appear on Spanish pages.
ENGLISH_UI = [
    "Toggle primary sidebar", "Toggle secondary sidebar", "Link to this heading", "Link to this image",
    "Search this book", "Skip to main content", "Back to top", "previous page", "next page",
    "Read this page in", "Contributors to the knowledge base", "Download the data", "Source:", "Sources:",
    "data as of",
]


def page_set(site, lang):
    return {p.relative_to(site / lang).as_posix() for p in html_pages(site, lang)}


def test_every_page_exists_in_both_languages(site):
    en, es = page_set(site, "en"), page_set(site, "es")
    assert en == es
    assert {"book/index.html", "book/about.html", "book/methodology.html", "book/contribute.html",
            "book/data.html", "search.html"} <= en


@pytest.mark.parametrize("lang", LANGS)
def test_lang_attribute_alternates_and_switcher(site, lang):
    other = next(code for code in LANGS if code != lang)
    for page in html_pages(site, lang):
        rel = page.relative_to(site / lang).as_posix()
        if rel in ("index.html", "genindex.html"):
            continue  # redirect stub and the (empty) general index
        parsed = parse(page)
        assert parsed.html_lang == lang, rel
        assert set(parsed.alternates) >= set(LANGS), rel
        for code, href in parsed.alternates.items():
            target, _ = resolve(page, href)
            assert target == (site / code / rel).resolve(), (rel, code, href)
        switch = [url for tag, url in parsed.links if tag == "a" and url.endswith(f"{other}/{rel}")]
        assert switch, f"{lang}/{rel} has no switcher link to the same page in {other}"


def test_internal_links_and_images_resolve(site):
    broken = []
    for lang in LANGS:
        for page in html_pages(site, lang):
            parsed = parse(page)
            for _tag, url in parsed.links:
                found = resolve(page, url)
                if found is None:
                    continue
                target, fragment = found
                if not target.exists():
                    broken.append(f"{page.relative_to(site)} -> {url}")
                elif fragment and target.suffix == ".html" and fragment not in parse(target).ids:
                    broken.append(f"{page.relative_to(site)} -> {url} (no such anchor)")
    assert not broken, "\n".join(broken[:30])


def test_root_page_links_to_both_languages_without_javascript(site):
    parsed = parse(site / "index.html")
    hrefs = [url for tag, url in parsed.links if tag == "a"]
    assert "en/book/index.html" in hrefs and "es/book/index.html" in hrefs


def test_no_english_interface_strings_on_spanish_pages(site):
    found = []
    for page in html_pages(site, "es"):
        parsed = parse(page)
        reader_text = parsed.texts + parsed.attrs_text
        for phrase in ENGLISH_UI:
            if any(phrase in t for t in reader_text):
                found.append(f"{page.relative_to(site)}: {phrase!r}")
        if any(t in ("Main", "Page") for t in parsed.attrs_text):
            found.append(f"{page.relative_to(site)}: English landmark label")
    assert not found, "\n".join(found)


def test_spanish_translation_is_complete():
    rows = translations.coverage("es")
    assert rows, "no .po files found"
    incomplete = [f"{r.path.name}: {r.translated}/{r.total}" for r in rows if r.translated < r.total]
    assert not incomplete, incomplete


def test_spanish_translation_matches_the_current_english_sources():
    """Every message of the English chapters and templates as they are now has a Spanish
    translation (catches English edits made without refreshing the .po files)."""
    assert translations.stale("es") == []


def test_spanish_charts_are_not_the_english_charts(site):
    """Each chart is drawn per language: its alt text and image differ between editions."""
    en, es = parse(site / "en/book/data.html"), parse(site / "es/book/data.html")
    en_imgs = [u for t, u in en.links if t == "img" and "_images/" in u]
    es_imgs = [u for t, u in es.links if t == "img" and "_images/" in u]
    assert en_imgs and len(en_imgs) == len(es_imgs)
    for a, b in zip(en_imgs, es_imgs):
        assert (site / "en/book" / a).resolve().read_bytes() != (site / "es/book" / b).resolve().read_bytes()
    en_alt = [t for t in en.attrs_text if "member states" in t]
    es_alt = [t for t in es.attrs_text if "Estados miembros" in t]
    assert en_alt and len(es_alt) == len(en_alt)
