"""Theme chapters in both languages; no English generated text on Spanish pages; search facets;
page weights."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from test_public_text import own_text

from tipkb.build import weights

from sitecheck import parse, resolve

ROOT = Path(__file__).resolve().parents[1]
THEMES = {"legal-framework": "legal", "prevention": "prevention", "protection": "protection",
          "prosecution": "prosecution", "cooperation": "cooperation", "capacity-borders": "capacity_borders"}


def codebook():
    with open(ROOT / "data" / "codebook.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


LABELS = {(r["domain"], r["code"]): r for r in codebook()}


@pytest.mark.parametrize("slug", THEMES)
def test_theme_page_has_charts_practices_and_country_links_in_both_languages(site, slug):
    images = {}
    for lang in ("en", "es"):
        page = site / lang / "book" / "themes" / f"{slug}.html"
        parsed = parse(page)
        imgs = [u for t, u in parsed.links if t == "img" and "_images/" in u]
        assert imgs, f"{lang}/{slug}: no chart"
        images[lang] = [resolve(page, u)[0].read_bytes() for u in imgs]
        internal = [resolve(page, u) for t, u in parsed.links if t == "a"]
        countries = {target.name for target, _ in filter(None, internal) if target.parent.name == "countries"}
        assert len(countries) >= 5, f"{lang}/{slug}: links to only {len(countries)} country pages"
        assert f'data-pagefind-filter="{LABELS[("ui", "filter_theme")][f"label_{lang}"]}:' \
               f'{LABELS[("theme", THEMES[slug])][f"label_{lang}"]}"' in page.read_text(encoding="utf-8")
    assert all(a != b for a, b in zip(images["en"], images["es"])), "a Spanish chart is the English image"


def _static_parts(template: str) -> list[str]:
    """The literal runs of a label with placeholders, long enough to be distinctive."""
    return [p.strip(" .,;:()") for p in re.split(r"\{[^}]*\}", template) if len(p.strip(" .,;:()")) >= 18]


def test_no_generated_english_text_on_spanish_pages(site):
    """Every sentence the code writes comes from the codebook; none of its English may show in Spanish."""
    english = set()
    for row in codebook():
        if row["label_en"] != row["label_es"]:
            english.update(_static_parts(row["label_en"]))
    english -= {p for row in codebook() for p in _static_parts(row["label_es"])}
    # Titles of sources are quoted in their own language on both editions.
    with open(ROOT / "data" / "sources.csv", newline="", encoding="utf-8") as fh:
        titles = sorted({r["title"] for r in csv.DictReader(fh)}, key=len, reverse=True)
    found = []
    for page in (site / "es").rglob("*.html"):
        if "_static" in page.parts:
            continue
        # Names (in bold or italics) and marked foreign-language text keep their own language.
        text = (own_text(page, "es") + " " + " ".join(parse(page).attrs_text)).replace("\u2019", "'")
        for title in titles:
            text = text.replace(title, " ")
        found += [f"{page.relative_to(site)}: {p!r}" for p in english if p in text]
    assert not found, found[:20]


@pytest.mark.parametrize("lang,country_filter", [("en", "Country"), ("es", "País")])
def test_country_pages_carry_a_country_search_filter_in_the_pages_language(site, lang, country_filter):
    html = (site / lang / "book" / "countries" / "mex.html").read_text(encoding="utf-8")
    name = "Mexico" if lang == "en" else "México"
    assert f'data-pagefind-filter="{country_filter}:{name}"' in html


def test_no_page_weighs_more_than_the_limit(site):
    heavy = [(w, name) for items in weights.weights(site).values() for w, name in items if w > weights.LIMIT]
    assert not heavy, heavy
