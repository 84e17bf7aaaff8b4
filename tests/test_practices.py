"""Documented practices on the pages: each published one with its source and both descriptions;
nothing unconfirmed presented as fact; counts on the index equal the table."""
from __future__ import annotations

import csv
import html as htmllib
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def rows(name):
    with open(ROOT / "data" / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


PRACTICES = rows("practices")
SOURCES = {r["source_id"]: r for r in rows("sources")}


def test_every_published_practice_has_a_source_and_both_descriptions():
    for p in PRACTICES:
        if p["status"] != "published":
            continue
        assert p["description_en"].strip() and p["description_es"].strip(), p["practice_id"]
        assert p["source_id"] in SOURCES and SOURCES[p["source_id"]]["url"], p["practice_id"]
        assert p["verified"] and p["confidence"] == "stated", p["practice_id"]


def country_html(site, lang, iso3):
    return (site / lang / "book" / "countries" / f"{iso3.lower()}.html").read_text(encoding="utf-8")


SMART = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def plain(text: str) -> str:
    """Whitespace collapsed and Sphinx's "smart quotes" undone, for comparing data with pages."""
    return " ".join(text.replace("\u2026", "...").translate(SMART).split())


def text_of(fragment: str) -> str:
    return plain(htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment)))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_published_practices_appear_with_source_link_and_pending_ones_only_as_to_confirm(site, lang):
    """Published practices are stated with their source; practices to be confirmed appear only in
    the marked box; excluded ones (not the state's own practice, e.g. an OAS or IOM course) appear
    nowhere on the state's page."""
    by_country = {}
    for p in PRACTICES:
        by_country.setdefault(p["iso3"], []).append(p)
    for iso3, items in by_country.items():
        page = country_html(site, lang, iso3)
        body, _, pending_box = page.partition("kb-to-confirm")
        body_text, pending_text = text_of(body), text_of(pending_box)
        for p in items:
            description = plain(p[f"description_{lang}"])
            if p["status"] == "published":
                assert description in body_text, (iso3, p["practice_id"])
                assert SOURCES[p["source_id"]]["url"].replace("&", "&amp;") in page, (iso3, p["practice_id"])
            elif p["status"] == "to_confirm":
                assert description not in body_text, f"{p['practice_id']} shown outside the to-be-confirmed box"
                assert description in pending_text, (iso3, p["practice_id"])
            else:
                assert p["status"] == "excluded", p["status"]
                assert description not in body_text + pending_text, f"{p['practice_id']} is excluded but shown"


def test_counts_on_the_countries_index_equal_the_table(site):
    published = Counter(p["iso3"] for p in PRACTICES if p["status"] == "published")
    countries = {r["name_en"]: r["iso3"] for r in rows("countries")}
    page = (site / "en" / "book" / "countries" / "index.html").read_text(encoding="utf-8")
    table = page.split("<table", 2)[1]  # the key-facts table
    for tr in re.findall(r"<tr.*?</tr>", table, flags=re.S)[1:]:
        cells = [text_of(td) for td in re.findall(r"<td.*?</td>", tr, flags=re.S)]
        iso3 = countries[cells[0]]
        assert int(cells[-1]) == published[iso3], (iso3, cells[-1], published[iso3])


def test_each_area_catalogue_page_carries_its_area_as_a_search_filter(site):
    labels = {r["code"]: r for r in rows("codebook") if r["domain"] == "area"}
    for slug, area in (("laws", "laws"), ("policies", "policies"), ("programmes", "programmes"),
                       ("immigration-controls", "immigration_controls")):
        for lang, filter_name in (("en", "Area"), ("es", "Área")):
            page = (site / lang / "book" / "practices" / f"{slug}.html").read_text(encoding="utf-8")
            assert f'data-pagefind-filter="{filter_name}:{labels[area][f"label_{lang}"]}"' in page
