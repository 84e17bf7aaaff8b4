"""Country pages: all 35 in both languages, each with its charts or a no-data sentence, chart
downloads that match data/, suppressed counts that stay suppressed."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from sitecheck import parse, resolve

ROOT = Path(__file__).resolve().parents[1]
CHARTS = ("victims", "justice", "forms", "citizenship", "p3", "tiers")


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


COUNTRIES = read_csv(ROOT / "data" / "countries.csv")
UI = {(r["domain"], r["code"]): r for r in read_csv(ROOT / "data" / "codebook.csv")}


def ui(key, lang, **values):
    return UI[("ui", key)][f"label_{lang}"].format(**values)


def page(site, lang, iso3) -> Path:
    return site / lang / "book" / "countries" / f"{iso3.lower()}.html"


def article_text(path: Path) -> str:
    # Sphinx turns straight apostrophes into typographic ones ("smart quotes").
    return " ".join(parse(path).texts).replace("\u2019", "'")


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("country", COUNTRIES, ids=lambda c: c["iso3"])
def test_country_page_has_title_card_and_every_chart_or_a_sentence(site, lang, country):
    path = page(site, lang, country["iso3"])
    assert path.exists()
    html = path.read_text(encoding="utf-8")
    name = country[f"name_{lang}"]
    assert re.search(rf"<h1>{re.escape(name)}<a", html), f"title is not {name!r}"
    assert "kb-country-card" in html
    text = article_text(path)
    images = [url for tag, url in parse(path).links if tag == "img"]
    for chart in CHARTS:
        drawn = any(f"{country['iso3'].lower()}-{chart}" in url for url in images)
        sentence = ui(f"no_data_{chart}", lang, country=name) in text
        assert drawn != sentence, f"{chart}: drawn={drawn}, no-data sentence={sentence}"


@pytest.mark.parametrize("iso3", ["USA", "DMA", "GRD", "KNA"])
def test_states_without_3p_scores_say_no_data(site, iso3):
    for lang in ("en", "es"):
        name = next(c[f"name_{lang}"] for c in COUNTRIES if c["iso3"] == iso3)
        text = article_text(page(site, lang, iso3))
        assert ui("no_data_p3", lang, country=name) in text


def download(site, lang, iso3, chart) -> list[dict]:
    path = page(site, lang, iso3)
    links = [url for tag, url in parse(path).links if tag == "a" and url.endswith(f"{iso3.lower()}-{chart}.csv")]
    assert links, f"no CSV download for {chart} on {path}"
    target, _ = resolve(path, links[0])
    return read_csv(target)


GLOTIP = read_csv(ROOT / "data" / "glotip.csv")


def expected_total_victims(iso3):
    """Year -> value of detected victims (all sexes, ages) for one state, straight from data/."""
    rows = [r for r in GLOTIP if r["iso3"] == iso3 and r["indicator"] == "detected_victims" and r["dimension"] == "total"
            and r["category"] == "total" and r["sex"] == "total" and r["age"] == "total"]
    by_year = {}
    for r in rows:
        by_year.setdefault(int(r["year"]), set()).add(r["value"])
    return {y: (v.pop() if len(v) == 1 else "") for y, v in by_year.items()}


@pytest.mark.parametrize("iso3", [c["iso3"] for c in COUNTRIES])
def test_victims_download_equals_data(site, iso3):
    expected = expected_total_victims(iso3)
    if not expected:
        pytest.skip(f"{iso3} reports no total of detected victims")
    all_label = UI[("sex", "total")]["label_en"]
    got = {int(r["Year"]): r["Value"] for r in download(site, "en", iso3, "victims") if r["Series"] == all_label}
    assert got == expected


def test_suppressed_counts_stay_suppressed_in_every_download(site):
    """Wherever data/ says <5, the downloads say <5 — never a number, never zero."""
    suppressed = {(r["iso3"], int(r["year"])) for r in GLOTIP if r["value"] == "<5" and r["indicator"] == "detected_victims"
                  and r["dimension"] == "total" and r["category"] == "total" and r["sex"] == "total" and r["age"] == "total"}
    assert suppressed, "expected some suppressed totals in the data"
    checked = 0
    for iso3, year in sorted(suppressed):
        for lang, cols in (("en", ("Series", "Year", "Value")), ("es", ("Serie", "Año", "Valor"))):
            all_label = UI[("sex", "total")][f"label_{lang}"]
            rows = [r for r in download(site, lang, iso3, "victims") if r[cols[0]] == all_label and int(r[cols[1]]) == year]
            assert [r[cols[2]] for r in rows] == ["<5"], (iso3, year, lang, rows)
            checked += 1
    assert checked >= 2


def test_no_suppressed_value_is_charted_as_a_number(site):
    """No download row marked as suppressed carries a number."""
    for lang, value_col, note_col in (("en", "Value", "Note"), ("es", "Valor", "Nota")):
        note = ui("status_suppressed", lang)
        for csv_path in (site / lang / "_downloads").rglob("*.csv"):
            for row in read_csv(csv_path):
                if row.get(note_col) == note:
                    assert row[value_col] == "<5", (csv_path, row)


def test_countries_index_links_every_state_from_map_and_table(site):
    for lang in ("en", "es"):
        path = site / lang / "book" / "countries" / "index.html"
        links = [resolve(path, url)[0] for tag, url in parse(path).links if tag == "a" and resolve(path, url)]
        for country in COUNTRIES:
            target = page(site, lang, country["iso3"]).resolve()
            assert links.count(target) >= 2, f"{country['iso3']} linked {links.count(target)} times from the {lang} index"


def test_chart_images_are_png_or_svg_with_text_readable_without_our_font(site):
    """Each chart is stored as PNG or SVG, whichever is smaller; SVG keeps its words as text
    (sharp when zoomed, selectable) and names a generic fallback font for readers without DejaVu."""
    kinds = {}
    for lang in ("en", "es"):
        for country in COUNTRIES:
            path = page(site, lang, country["iso3"])
            for url in (u for t, u in parse(path).links if t == "img" and "_images/" in u):
                target, _ = resolve(path, url)
                kinds.setdefault(target.suffix, []).append(target)
    assert set(kinds) == {".png", ".svg"}, set(kinds)
    for svg in kinds[".svg"]:
        text = svg.read_text(encoding="utf-8")
        assert "<text" in text and "sans-serif" in text and "<dc:date>" not in text, svg.name
    for png in kinds[".png"]:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", png.name


def test_tier_changes_after_publication_are_told_with_their_source(site):
    """A placement changed after the report came out (tip_tier_changes) is told under the tier
    chart, in the reader's language and with its source; other states' pages do not carry it."""
    changes = read_csv(ROOT / "data" / "tip_tier_changes.csv")
    assert changes
    changed = {c["iso3"] for c in changes}
    for change in changes:
        for lang in ("en", "es"):
            text = article_text(page(site, lang, change["iso3"]))
            source = UI[("source_line", change["source_id"])][f"label_{lang}"]
            assert source in text, (change["iso3"], lang)
            tier_after = UI[("tier", change["tier_after"])][f"label_{lang}"]
            assert re.search(rf"{change['year']}.{{0,200}}{re.escape(tier_after)}", text), (change["iso3"], lang)
    other = next(c["iso3"] for c in COUNTRIES if c["iso3"] not in changed)
    sources = {c["source_id"] for c in changes}
    text = article_text(page(site, "en", other))
    assert not any(UI[("source_line", s)]["label_en"] in text for s in sources)
