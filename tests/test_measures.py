"""Measures in place (issue 16): the table's rules, the matrix, one page per measure, the country
cards, the compare page, and the research's evidence quotes kept out of everything published."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

import independent as ind
from conftest import LANGS
from sitecheck import parse, squash

ROOT = Path(__file__).resolve().parents[1]
MEASURES = list(ind.rows("measures"))


def measure_codes() -> list[str]:
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "measures")
    return next(f for f in resource["schema"]["fields"] if f["name"] == "measure")["constraints"]["enum"]


def test_every_state_has_every_measure_once():
    pairs = [(r["iso3"], r["measure"]) for r in MEASURES]
    assert len(pairs) == len(set(pairs)) == len(ind.members()) * len(measure_codes())


def test_established_rows_have_a_source_both_descriptions_and_a_check_date():
    for r in MEASURES:
        if r["status"] == "unclear":
            assert not (r["description_en"] or r["description_es"] or r["name"]), r
        else:
            assert r["source_id"] and r["source_type"] and r["checked"], r
            assert r["description_en"].strip() and r["description_es"].strip(), r


def test_disagreements_keep_both_sources():
    notes = list(ind.rows("measure_notes"))
    disagreements = [n for n in notes if n["kind"] == "disagreement"]
    assert disagreements
    rows = {(r["iso3"], r["measure"]): r for r in MEASURES}
    for n in disagreements:
        assert n["source_id"] and n["source_id"] != rows[(n["iso3"], n["measure"])]["source_id"], n


def page_text(path: Path) -> str:
    return squash(" ".join(parse(path).texts).replace("\u2019", "'"))


@pytest.mark.parametrize("lang", LANGS)
def test_measure_pages_count_what_the_table_says(site, lang):
    for code in measure_codes():
        path = site / lang / "book" / "measures" / f"{code.replace('_', '-')}.html"
        n = sum(1 for r in MEASURES if r["measure"] == code and r["status"] == "in_place")
        count = ind.label("number_word", str(n), lang) if 1 < n < 10 else ind.number(n, lang)  # words under ten
        headline = ind.ui(f"measure_headline_{code}", lang, n=count, total=len(ind.members()))
        headline = headline[:1].upper() + headline[1:]
        assert headline in page_text(path), (code, lang)
        html = path.read_text(encoding="utf-8")
        for iso3 in ind.members():  # one section per state, so that search results land on it
            assert f'id="measure-{code.replace("_", "-")}-{iso3.lower()}"' in html, (code, iso3)


def test_unclear_is_never_shown_as_no(site):
    for lang in LANGS:
        unclear = ind.label("measure_status", "unclear", lang)
        none = ind.label("measure_status", "none", lang)
        html = (site / lang / "book" / "measures" / "index.html").read_text(encoding="utf-8")
        cells = re.findall(r'<td class="kb-st-(\w+)"[^>]*>(.*?)</td>', html, flags=re.S)
        assert len(cells) == len(MEASURES)
        for status, cell in cells:
            text = squash(re.sub(r"<[^>]+>", " ", cell))
            assert (unclear in text) == (status == "unclear") and (none in text) == (status == "none"), (status, text)


def test_matrix_cells_match_the_table_and_mark_us_assessments(site):
    html = (site / "en" / "book" / "measures" / "index.html").read_text(encoding="utf-8")
    for r in MEASURES:
        row = html.split(f'data-iso3="{r["iso3"]}"', 1)[1].split("</tr>", 1)[0]
        cell = row.split(f'data-measure="{r["measure"]}"', 1)[1].split("</td>", 1)[0]
        assert f'data-status="{r["status"]}"' in row.split(f'data-measure="{r["measure"]}"', 1)[0][-60:]
        assert ('class="kb-us"' in cell) == (r["source_type"] == "us_tip_report"), (r["iso3"], r["measure"])
        assert f'#measure-{r["measure"].replace("_", "-")}-{r["iso3"].lower()}' in cell


def test_matrix_works_without_javascript(site):
    """The matrix is a plain table (the filters are hidden until the script runs); the compare page
    points to it when JavaScript is off."""
    for lang in LANGS:
        matrix = (site / lang / "book" / "measures" / "index.html").read_text(encoding="utf-8")
        assert '<table class="kb-matrix"' in matrix and 'id="kb-matrix-filters" hidden' in matrix
        compare = (site / lang / "book" / "compare.html").read_text(encoding="utf-8")
        noscript = compare.split('<noscript><p class="kb-noscript">', 1)[1].split("</noscript>", 1)[0]
        assert 'href="measures/index.html"' in noscript


@pytest.mark.parametrize("lang", LANGS)
def test_country_card_lists_all_measures_with_their_status(site, lang):
    for iso3 in ind.members():
        html = (site / lang / "book" / "countries" / f"{iso3.lower()}.html").read_text(encoding="utf-8")
        card = html.split(f'id="{iso3.lower()}-measures"', 1)[1].split("</section>", 1)[0]
        text = squash(re.sub(r"<[^>]+>", " ", card))
        for r in (r for r in MEASURES if r["iso3"] == iso3):
            assert ind.label("measure", r["measure"], lang) in text
        statuses = [ind.label("measure_status", r["status"], lang) for r in MEASURES if r["iso3"] == iso3]
        assert all(s in text for s in statuses)


def fingerprints() -> set[str]:
    lines = (ROOT / "data" / "curated" / "evidence-fingerprints.txt").read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def shingles(text: str) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {hashlib.sha1(" ".join(words[i:i + 8]).encode()).hexdigest()[:12] for i in range(len(words) - 7)}


def published_prose() -> list[tuple[str, str]]:
    """(where, text) of everything this project writes: descriptions and notes in data/, the
    book's pages and their translations."""
    from babel.messages.pofile import read_po

    out = []
    columns = {"measures": ("description_en", "description_es"), "measure_notes": ("note_en", "note_es"),
               "practices": ("description_en", "description_es"), "practice_notes": ("note_en", "note_es"),
               "glossary": ("definition_en", "definition_es")}
    for table, cols in columns.items():
        for i, row in enumerate(ind.rows(table), start=1):
            out += [(f"data/{table}.csv row {i} {c}", row[c]) for c in cols]
    out += [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in (ROOT / "book").rglob("*.md")]
    for po in (ROOT / "locales").rglob("*.po"):
        with open(po, "rb") as fh:
            out += [(f"{po.relative_to(ROOT)}: {m.id[:40]}", m.string) for m in read_po(fh) if m.id and m.string]
    return out


def test_no_evidence_quote_is_published():
    """The research's evidence quotes are for checking only, and facts are told in our own words:
    no 8-word run of a quote appears in anything this project writes (the quotes are not in this
    repository, only their fingerprints; official names and titles are allowed)."""
    banned = fingerprints()
    assert len(banned) > 1000
    leaks = [where for where, text in published_prose() if shingles(text) & banned]
    assert not leaks, leaks[:10]


@pytest.mark.browser
def test_compare_page_in_the_browser(server, browser_factory):
    """Choose two states, read their names and statuses, reload the address, switch language."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    from conftest import screenshot

    driver = browser_factory(lang="en")
    driver.get(f"{server}/en/book/compare.html")
    selects = driver.find_elements(By.CSS_SELECTOR, "#kb-compare-form select")
    assert len(selects) == 4
    Select(selects[0]).select_by_value("GTM")
    Select(selects[1]).select_by_value("HND")
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "table.kb-compare"))
    assert "states=GTM,HND" in driver.current_url
    table = driver.find_element(By.CSS_SELECTOR, "table.kb-compare").text
    assert "Guatemala" in table and "Honduras" in table
    hnd = next(r for r in MEASURES if r["iso3"] == "HND" and r["measure"] == "prosecution_unit")
    assert ind.label("measure_status", hnd["status"], "en") in table
    screenshot(driver, "compare-en")
    driver.get(driver.current_url)  # a reload keeps the comparison
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "table.kb-compare"))
    driver.find_element(By.CSS_SELECTOR, "a.kb-lang-switch").click()
    WebDriverWait(driver, 10).until(lambda d: "/es/book/compare.html" in d.current_url)
    assert "states=GTM,HND" in driver.current_url
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "table.kb-compare"))
    table = driver.find_element(By.CSS_SELECTOR, "table.kb-compare").text
    assert ind.label("measure_status", hnd["status"], "es") in table
    screenshot(driver, "compare-es")
