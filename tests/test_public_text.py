"""What readers see is public text: no workspace path, no research note, and on Spanish pages no
English written by this project, the preferred terms, and no translation older than its English.

Titles of sources stay in their own language on every page; the checks skip links and elements
marked with another language (``lang`` attribute), and names in bold or italics (official names
of laws and bodies keep their original language)."""
from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sitecheck import squash

ROOT = Path(__file__).resolve().parents[1]
from conftest import LANGS  # noqa: E402  (the language list of locales/languages.yml)


class OwnText(HTMLParser):
    """The page's article text written in the page's language: skips scripts, links, names in
    bold or italics, and elements whose ``lang`` differs from the page's."""

    SKIP = {"script", "style", "a", "strong", "em", "code", "abbr"}

    def __init__(self, lang: str):
        super().__init__(convert_charrefs=True)
        self.lang, self.stack, self.texts, self.in_article = lang, [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.in_article += 1
        skip = tag in self.SKIP or (attrs.get("lang") not in (None, self.lang)) or "visually-hidden" in attrs.get("class", "")
        if tag not in ("br", "img", "meta", "link", "input", "hr", "wbr"):
            self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        if tag == "article":
            self.in_article -= 1
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.in_article and not any(skip for _, skip in self.stack):
            self.texts.append(data)


def own_text(path: Path, lang: str) -> str:
    parser = OwnText(lang)
    parser.feed(path.read_text(encoding="utf-8"))
    return squash(" ".join(parser.texts))


def pages(site: Path, lang: str) -> list[Path]:
    return sorted(p for p in (site / lang).rglob("*.html") if "_static" not in p.parts)


def public_files(site: Path) -> list[Path]:
    return [p for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".csv", ".json", ".xml", ".svg", ".txt")
            and "_static" not in p.parts and "pagefind" not in p.parts]


def test_no_public_file_names_a_workspace_path(site):
    """Issue 17: pages, captions and downloads cite publishers, never this workspace."""
    pattern = re.compile(r"shared/sources|\.\./shared|/work/|research[-_ ]notes?|measures-research|tip-tiers-2016-2025/")
    leaks = [str(p.relative_to(site)) for p in public_files(site) if pattern.search(p.read_text(encoding="utf-8",
                                                                                              errors="replace"))]
    assert not leaks, leaks[:10]


# Working notes of the research (issue 12, class 9): the patterns of
# docs/verification/public-text-2026-12.md that never occur in a source's own words.
RESEARCH_NOTES = [
    r"__trashed", r"\bfilas? \d+\b", r"\brows? \d+\b(?! (?:of|de))", r"\((?:term|término) \d{2}[a-z]?\)",
    r"\bexcerpts?\b", r"\bextracto\b", r"\bse corta\b", r"\btext read\b", r"\btexto leído\b", r"\bsearch tool\b",
    r"\bresearch notes?\b", r"\bthe research\b", r"\bedition year\b", r"\bdocument #\d+", r"\bnot visible\b",
    r"\bretrieved\b", r"\bstill needs? checking\b", r"\bdeben cotejarse\b", r"\)\)", r"\(\(", r"‹",
]


@pytest.mark.parametrize("lang", LANGS)
def test_no_research_note_on_any_page(site, lang):
    found = []
    for path in pages(site, lang):
        text = own_text(path, lang)
        found += [f"{path.relative_to(site)}: {p}" for p in RESEARCH_NOTES if re.search(p, text, flags=re.I)]
    assert not found, found[:20]


def read(table: str) -> list[dict]:
    with open(ROOT / "data" / f"{table}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


PUBLIC_COLUMNS = {
    "practices": ("description_en", "description_es", "name_en", "name_es"),
    "practice_notes": ("note_en", "note_es"),
    "measures": ("description_en", "description_es", "name_en", "name_es"),
    "measure_notes": ("note_en", "note_es"),
    "glossary": ("term_en", "term_es", "definition_en", "definition_es"),
    "countries": ("membership_note_en", "membership_note_es"),
    "sources": ("title", "publisher", "publisher_es"),
}


def test_no_research_note_in_the_published_tables():
    found = []
    for table, columns in PUBLIC_COLUMNS.items():
        for i, row in enumerate(read(table), start=1):
            if table == "practices" and row.get("status") == "excluded":
                continue
            for col in columns:
                found += [f"data/{table}.csv row {i} {col}: {p}" for p in RESEARCH_NOTES if re.search(p, row[col], re.I)]
    assert not found, found[:20]


def terminology() -> list[dict]:
    with open(ROOT / "locales" / "es" / "terminology.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_spanish_pages_use_the_preferred_terms(site):
    """Issue 19: one term for each thing, as locales/es/terminology.csv says."""
    rules = [(t["preferred_es"], re.compile(t["rejected"])) for t in terminology() if t["rejected"]]
    assert len(rules) >= 8
    found = []
    for path in pages(site, "es"):
        text = own_text(path, "es")
        for preferred, rejected in rules:
            hit = rejected.search(text)
            if hit:
                found.append(f"{path.relative_to(site)}: {hit.group(0)!r} (use {preferred!r})")
    assert not found, found[:20]


def test_terminology_check_fails_on_a_rejected_variant(tmp_path):
    """The check above can fail: a page with a rejected variant is caught."""
    sample = tmp_path / "p.html"
    sample.write_text('<html lang="es"><body><article><p>En el periodo 2015-2018, la Lista de vigilancia del '
                      'Nivel 2.</p></article></body></html>', encoding="utf-8")
    text = own_text(sample, "es")
    hits = [t["preferred_es"] for t in terminology() if t["rejected"] and re.search(t["rejected"], text)]
    assert len(hits) >= 3, hits


ENGLISH_CONNECTORS = re.compile(r"\b(?:the|and|with|of the|from the|according to|accessed|copy on|data as of|"
                                r"this page|see also|which|were|was)\b")


PROPER_NAMES = re.compile(r"\b[A-Z][\w'’.-]*(?:(?:\s+(?:of|and|for|the|in|on|to|against|de|del|la|las|los|y|e))*"
                          r"\s+[A-Z][\w'’.-]*)+")


def test_spanish_pages_carry_no_english_written_by_the_project(site):
    """Issue 19: source titles keep their language (they are links or marked with lang), but every
    word the project writes around them on a Spanish page is Spanish."""
    found = []
    for path in pages(site, "es"):
        # A quoted name («Women and Justice») and the names of organisations (Save the Children,
        # Media Institute of the Caribbean) keep their own language.
        text = PROPER_NAMES.sub(" ", re.sub(r"«[^»]*»", " ", own_text(path, "es")))
        for hit in ENGLISH_CONNECTORS.finditer(text):
            found.append(f"{path.relative_to(site)}: …{text[max(0, hit.start() - 40):hit.end() + 40]}…")
    assert not found, found[:20]


def test_codebook_translations_are_not_older_than_their_english(data_copy):
    """Issue 19: each translated label records a hash of the English it translates; an English
    edit without a reviewed translation is refused by validation (and listed by
    ./scripts/translations --codebook)."""
    from tipkb import validate

    assert not [p for p in validate.validate(ROOT / "data") if p.rule == "translation-up-to-date"]
    path = data_copy / "codebook.csv"
    rows = list(csv.DictReader(open(path, newline="", encoding="utf-8")))
    target = next(r for r in rows if (r["domain"], r["code"]) == ("ui", "h_victims"))
    target["label_en"] = "Victims detected"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    problems = [p for p in validate.validate(data_copy) if p.rule == "translation-up-to-date"]
    assert [p.detail.split(":")[0] for p in problems] == ["ui/h_victims"] * len(LANGS[1:])


def test_english_connector_check_fails_on_english_text(tmp_path):
    """The English check can fail: an English sentence in a Spanish page is caught, an
    organisation's name is not."""
    sample = tmp_path / "p.html"
    sample.write_text('<html lang="es"><body><article><p>La ONG Save the Children colabora. Data as of 2024, '
                      'accessed on 3 May.</p></article></body></html>', encoding="utf-8")
    text = PROPER_NAMES.sub(" ", own_text(sample, "es"))
    hits = [m.group(0) for m in ENGLISH_CONNECTORS.finditer(text)]
    assert hits and "the" not in hits, hits
