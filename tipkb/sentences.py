"""Sentences the pages generate from data: the latest figure, a peak, a coverage, a data note.

Each is built from codebook templates in the page's language, with CLDR plural categories for
counts (``labels.ui_n``), so that 0, 1 and many read right in every language, and ties are named
in full. The tests recompute each sentence's figures from data/ on their own.
"""
from __future__ import annotations

import pandas as pd

from . import labels
from . import series as S


def capitalized(text: str) -> str:
    """A sentence starts with a capital, whatever its template started with ("{n} are…")."""
    return text[:1].upper() + text[1:]


def years_text(years: list[int], lang: str) -> str:
    """'2017', '2017 and 2018', '2015, 2016 and 2019' (CLDR list pattern)."""
    return labels.join([str(y) for y in sorted(set(years))], lang)


def latest_phrase(what: str, latest: S.Latest | None, lang: str) -> str:
    """'Persons convicted: 9 in 2021', or, when the last year reported has no count,
    'Persons convicted: fewer than 5 in 2022 (suppressed); last count 9 in 2021'."""
    if latest is None:
        return labels.ui("latest_none", lang, what=what)
    if latest.status == S.VALUE:
        return labels.ui("latest_count", lang, what=what, n=labels.number(latest.count, lang), year=latest.year)
    key = "latest_suppressed" if latest.status == S.SUPPRESSED else "latest_ambiguous"
    text = labels.ui(key, lang, what=what, year=latest.year)
    if latest.last_count_year is not None:
        text += labels.ui("latest_last_count", lang, n=labels.number(latest.last_count, lang),
                          year=latest.last_count_year)
    return text


def latest_value(latest: S.Latest | None, lang: str) -> str:
    """The figure alone, for the key-facts strip: '228 (2022)', 'fewer than 5 (2022)'."""
    if latest is None:
        return labels.ui("not_reported", lang)
    if latest.status == S.VALUE:
        return labels.ui("value_in_year", lang, value=labels.number(latest.count, lang), year=latest.year)
    key = "suppressed_in_year" if latest.status == S.SUPPRESSED else "ambiguous_in_year"
    return labels.ui(key, lang, year=latest.year)


def peak_phrase(status: pd.DataFrame, lang: str, latest_year: int | None = None) -> str:
    """'the highest count was 11, in 2017 and 2018' — every year of a tie; 'the highest of the
    series' when the latest year is the only peak; '' when there is a single count."""
    top = S.peak(status)
    if top is None or len(S.counted(status)) < 2:
        return ""
    value, years = top
    if years == [latest_year]:
        return labels.ui("peak_is_latest", lang)
    return labels.ui_n("peak_years", len(years), lang, value=labels.number(value, lang), years=years_text(years, lang))


def victims_sentence(latest: S.Latest, status: pd.DataFrame, rate: str, lang: str) -> str:
    """'In 2022, 228 victims were detected (1.3 per 100,000 inhabitants); the highest count was
    …' — or, when the last year reported is suppressed, what it says and the last count."""
    if latest.status == S.VALUE:
        peak = peak_phrase(status, lang, latest.year)
        key = "sum_victims_count_one" if latest.count == 1 else "sum_victims_count"
        text = labels.ui(key, lang, year=latest.year, n=labels.number(latest.count, lang),
                         rate=labels.ui("sum_rate", lang, rate=rate) if rate else "")
        return text + (labels.ui("sum_peak", lang, peak=peak) if peak else "") + "."
    key = "sum_victims_suppressed" if latest.status == S.SUPPRESSED else "sum_victims_ambiguous"
    text = labels.ui(key, lang, year=latest.year)
    if latest.last_count_year is None:
        return text + "."
    return text + labels.ui("sum_last_count", lang, n=labels.number(latest.last_count, lang),
                            year=latest.last_count_year)


def only_suppressed(kind: str, country: str, years: list[int], lang: str) -> str:
    """Why there is no chart: every figure is suppressed or ambiguous."""
    return labels.ui_n("only_suppressed", len(years), lang, what=labels.ui(f"what_{kind}", lang), country=country,
                       years=years_text(years, lang))


def coverage(breakdown: str, cov: S.Coverage, lang: str) -> str:
    """'2013: reported for 114 of the 234 victims' (or 'at most 118 of …' with suppressed parts)."""
    key = "coverage_exact" if cov.low == cov.high else "coverage_at_most"
    return labels.ui(key, lang, year=cov.year, n=labels.number(cov.high, lang), total=labels.number(cov.total, lang))


def _part_label(row, lang: str) -> str:
    if row["dimension"] == "form":
        return labels.label("form", row["category"], lang)
    if row["dimension"] in ("citizenship", "repatriation"):
        return labels.label("place", row["category"], lang) if row["category"].islower() \
            else labels.country(row["category"], lang)
    bits = [labels.label("sex", row["sex"], lang)] if row["sex"] != "total" else []
    bits += [labels.label("age", row["age"], lang)] if row["age"] != "total" else []
    return ", ".join(bits) or labels.label("sex", "total", lang)


def data_notes(flagged: pd.DataFrame, indicator: str, dimensions: tuple[str, ...], lang: str) -> list[str]:
    """The flagged cells (data/data_notes.csv) of one chart, as one note in the page's language.

    ``dimensions``: which rows the chart draws — 'total' (national totals), 'sex' and 'age'
    (breakdowns of the total), 'form', 'citizenship'."""
    if flagged.empty:
        return []
    mine = flagged[flagged["indicator"] == indicator]
    items = []
    for row in mine.sort_values(["year", "kind"]).to_dict("records"):
        dim = row["dimension"]
        breakdown = dim if row["kind"] == "breakdown_exceeds_total" else (
            "total" if dim == "total" and row["sex"] == "total" and row["age"] == "total"
            else ("sex" if row["age"] == "total" else "age") if dim == "total" else dim)
        if breakdown not in dimensions:
            continue
        year = int(row["year"])
        if row["kind"] == "value_equals_year":
            items.append(labels.ui("flag_value_equals_year", lang, year=year, part=_part_label(row, lang),
                                   value=labels.number(int(row["value"]), lang)))
        elif row["kind"] == "part_exceeds_total":
            items.append(labels.ui("flag_part_exceeds_total", lang, year=year, part=_part_label(row, lang),
                                   value=labels.number(int(row["value"]), lang),
                                   total=labels.number(int(row["total"]), lang)))
        else:
            items.append(labels.ui("flag_breakdown_exceeds_total", lang, year=year,
                                   breakdown=labels.ui(f"breakdown_{dim}", lang),
                                   value=labels.number(int(row["value"]), lang),
                                   total=labels.number(int(row["total"]), lang)))
    if not items:
        return []
    return [labels.ui("note_flagged", lang, items="; ".join(items))]


def citizenship_year_note(year: int, why: str, later: list[int], country: str, lang: str) -> str:
    if why == "latest":
        return labels.ui("cit_year_no_nationals", lang, year=year, country=country)
    key = "cit_year_complete" if why == "complete" else "cit_year_nationals"
    text = labels.ui(key, lang, year=year, country=country)
    if later:
        text += " " + labels.ui_n("cit_year_later", len(later), lang, years=years_text(later, lang))
    return text


def citizenship_alt(country: str, year: int, national: dict | None, foreign: list[dict], lang: str) -> str:
    if national is None:
        nationals = labels.ui("cit_alt_no_nationals", lang, country=country)
    elif national["status"] == S.VALUE:
        nationals = labels.ui_n("cit_alt_nationals", national["count"], lang, country=country)
    else:
        nationals = labels.ui("cit_alt_nationals_suppressed", lang, country=country)
    main = [b["name"] for b in foreign[:3]]
    others = labels.ui_n("cit_alt_foreign", len(foreign), lang, main=labels.join(main, lang))
    return labels.ui("cit_alt", lang, year=year, country=country, nationals=nationals, others=others)


def victims_alt(total: pd.DataFrame, country: str, first: int, last: int, lang: str) -> str:
    if not S.has_counts(total):
        return labels.ui("victims_alt_partial", lang, country=country, span=f"{first}–{last}")
    found = S.latest_count(total)
    latest = latest_phrase(labels.ui("what_total", lang), found, lang)
    peak = peak_phrase(total, lang, found.year if found.status == S.VALUE else None)
    text = labels.ui("victims_alt", lang, country=country, span=f"{first}–{last}", latest=latest)
    return text + (labels.ui("sum_peak", lang, peak=peak) if peak else "") + "."
