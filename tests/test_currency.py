"""Current through 2025 (issue 17): TIP placements to the 2025 report, UN Protocol status for all 35
states, rates per 100,000 that never come from a suppressed count, and "data until" wherever a
series ends long before today."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import independent as ind
from conftest import LANGS
from sitecheck import parse, squash

ROOT = Path(__file__).resolve().parents[1]


def text_of(path: Path) -> str:
    return squash(" ".join(parse(path).texts).replace("\u2019", "'"))


def country_page(site, lang, iso3) -> Path:
    return site / lang / "book" / "countries" / f"{iso3.lower()}.html"


def latest_placements() -> dict[str, tuple[int, str]]:
    out = {}
    for r in ind.rows("tip_tiers"):
        year = int(r["year"])
        if year >= out.get(r["iso3"], (0, ""))[0]:
            out[r["iso3"]] = (year, r["tier"])
    return out


def test_placements_reach_the_2025_report():
    years = {int(r["year"]) for r in ind.rows("tip_tiers")}
    assert set(range(2001, 2026)) <= years
    ranked_2025 = {r["iso3"] for r in ind.rows("tip_tiers") if r["year"] == "2025"}
    assert len(ranked_2025) >= 20, sorted(ranked_2025)
    # Not ranked and special case are placements of their own, never missing years.
    assert {"special_case", "not_ranked"} <= {r["tier"] for r in ind.rows("tip_tiers")}


@pytest.mark.parametrize("lang", LANGS)
def test_key_facts_show_the_latest_placement_with_its_report_year(site, lang):
    for iso3, (year, tier) in latest_placements().items():
        html = country_page(site, lang, iso3).read_text(encoding="utf-8")
        strip = html.split('class="kb-facts"', 1)[1].split("</nav>", 1)[0]
        expected = ind.ui("tier_in_report", lang, tier=ind.label("tier", tier, lang), year=year)
        assert expected in squash(re.sub(r"<[^>]+>", " ", strip)), (iso3, lang, expected)


@pytest.mark.parametrize("lang", LANGS)
def test_every_state_has_a_treaty_status_with_a_source(site, lang):
    for r in ind.rows("palermo"):
        assert r["source_id"], r["iso3"]
        text = text_of(country_page(site, lang, r["iso3"]))
        if r["party"] == "yes":
            assert ind.ui("palermo_no_record", lang) not in text, r["iso3"]
        else:
            assert ind.ui("palermo_no_record", lang) in text, r["iso3"]
    dom = next(r for r in ind.rows("palermo") if r["iso3"] == "DOM")
    brb = next(r for r in ind.rows("palermo") if r["iso3"] == "BRB")
    assert dom["party"] == "yes" and dom["deposit_date"].startswith("2008")
    assert brb["party"] == "yes" and brb["entry_into_force"] == "2014-12-11" and not brb["deposit_date"]


def test_rates_are_absent_for_suppressed_counts_and_right_elsewhere(site):
    """On the protection theme, each state's rate is its latest count / population × 100,000,
    recomputed here; a suppressed latest count has no rate."""
    for lang in LANGS:
        html = (site / lang / "book" / "themes" / "protection.html").read_text(encoding="utf-8")
        table = html.split(ind.ui("col_rate", lang), 1)[1].split("</table>", 1)[0]
        rows = re.findall(r"<tr.*?</tr>", table, flags=re.S)
        seen = 0
        for tr in rows:
            cells = [squash(re.sub(r"<[^>]+>", " ", c)) for c in re.findall(r"<td.*?</td>", tr, flags=re.S)]
            if not cells:
                continue
            iso3 = next(i for i in ind.members() if ind.country_name(i, lang) == cells[0])
            latest = ind.latest(ind.national(iso3, "detected_victims"))
            if latest is None:  # no national total, only breakdowns: said, and no rate
                assert cells[2] == "—" and ind.ui("no_national_total", lang) in cells[1], (iso3, cells)
                continue
            year, status, count, _, _ = latest
            if status != "value":
                assert cells[2] == "—", (iso3, cells)
                continue
            value = ind.rate(count, ind.population(iso3, year))
            shown = float(cells[2].replace("\u202f", "").replace(",", ".") if lang == "es" else cells[2].replace(",", ""))
            assert abs(shown - value) <= max(0.0006, value * 0.05), (iso3, shown, value)
            seen += 1
        assert seen >= 15


@pytest.mark.parametrize("lang", LANGS)
def test_series_that_end_long_ago_say_their_last_year(site, lang):
    """The 3P index ends in 2013 and the criminalization coding in 2014: every chart and coverage
    line built on them says so."""
    p3_last = max(int(r["year"]) for r in ind.rows("policy_3p"))
    crim_last = max(int(r["year"]) for r in ind.rows("criminalization"))
    assert p3_last < 2020 and crim_last < 2020
    for iso3 in ind.members():
        text = text_of(country_page(site, lang, iso3))
        assert ind.ui("cov_3p_none" if not any(r["iso3"] == iso3 for r in ind.rows("policy_3p")) else "cov_3p",
                      lang, first=0, last=p3_last, until=p3_last).split("(")[-1].strip(")") in text
        if any(r["iso3"] == iso3 for r in ind.rows("policy_3p")):
            assert ind.ui("p3_caption", lang, first=min(int(r["year"]) for r in ind.rows("policy_3p")),
                          last=p3_last)[-60:] in text
    legal = text_of(site / lang / "book" / "themes" / "legal-framework.html")
    first = min(int(r["year"]) for r in ind.rows("criminalization"))
    assert ind.ui("crim_caption", lang, first=first, last=crim_last) in legal
