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


def breakdowns_text(kinds, lang: str) -> str:
    """'by age and by form of exploitation'."""
    return labels.join([labels.ui(f"in_breakdown_{k}", lang) for k in kinds], lang)


def _later(latest: S.Latest, lang: str) -> str:
    """'; 2021: reported only by age, without a national total' — or ''."""
    if not latest.later:
        return ""
    return labels.ui("latest_later", lang, years=year_runs(latest.later, lang),
                     breakdowns=breakdowns_text(latest.breakdowns, lang))


def _breakdown_only(latest: S.Latest, lang: str) -> dict:
    return {"breakdowns": breakdowns_text(latest.breakdowns, lang),
            "span": labels.year_span([latest.first_year, latest.year])}


def year_runs(years, lang: str) -> str:
    """'2019–2022', '2017 and 2018', '2012, 2014–2016 and 2019': three or more consecutive years
    read as a span."""
    runs: list[list[int]] = []
    for y in sorted(set(years)):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    parts = []
    for run in runs:
        parts += [labels.year_span(run)] if len(run) > 2 else [str(y) for y in run]
    return labels.join(parts, lang)


def latest_phrase(what: str, latest: S.Latest | None, lang: str) -> str:
    """'Persons convicted: 9 in 2021', or, when the last year reported has no count,
    'Persons convicted: fewer than 5 in 2022 (suppressed); last count 9 in 2021'; later years with
    only a breakdown are named; with no national total at all, which breakdowns there are."""
    if latest is None:
        return labels.ui("latest_none", lang, what=what)
    if latest.status == S.BREAKDOWN_ONLY:
        return labels.ui("latest_breakdown_only", lang, what=what, **_breakdown_only(latest, lang))
    if latest.status == S.VALUE:
        text = labels.ui("latest_count", lang, what=what, n=labels.number(latest.count, lang), year=latest.year)
        return text + _later(latest, lang)
    key = "latest_suppressed" if latest.status == S.SUPPRESSED else "latest_ambiguous"
    text = labels.ui(key, lang, what=what, year=latest.year)
    if latest.last_count_year is not None:
        text += labels.ui("latest_last_count", lang, n=labels.number(latest.last_count, lang),
                          year=latest.last_count_year)
    return text + _later(latest, lang)


def latest_value(latest: S.Latest | None, lang: str) -> str:
    """The figure alone, for the key-facts strip: '228 (2022)', 'fewer than 5 (2022)', 'no
    national total' (see :func:`latest_extra` for what goes under it)."""
    if latest is None:
        return labels.ui("not_reported", lang)
    if latest.status == S.BREAKDOWN_ONLY:
        return labels.ui("no_national_total", lang)
    if latest.status == S.VALUE:
        return labels.ui("value_in_year", lang, value=labels.number(latest.count, lang), year=latest.year)
    key = "suppressed_in_year" if latest.status == S.SUPPRESSED else "ambiguous_in_year"
    return labels.ui(key, lang, year=latest.year)


def latest_cell(latest: S.Latest | None, lang: str) -> str:
    """The figure and what goes under it, on one line for a table cell."""
    extra = latest_extra(latest, lang)
    return latest_value(latest, lang) + (labels.ui("in_parentheses", lang, text=extra) if extra else "")


def latest_extra(latest: S.Latest | None, lang: str) -> str:
    """Under a key figure: the breakdowns when there is no national total, or the later years
    that have only a breakdown ('2021: only by age')."""
    if latest is None:
        return ""
    if latest.status == S.BREAKDOWN_ONLY:
        return labels.ui("kf_breakdown_only", lang, **_breakdown_only(latest, lang))
    if latest.later:
        return labels.ui("kf_later", lang, years=year_runs(latest.later, lang),
                         breakdowns=breakdowns_text(latest.breakdowns, lang))
    return ""


def peak_phrase(status: pd.DataFrame, lang: str, latest_year: int | None = None) -> str:
    """'the highest count was 11, in 2017 and 2018' — every year of a tie; 'the highest of the
    series' when the latest year is the only peak; '' when there is a single count."""
    top = S.peak(status)
    if top is None or len(S.counted(status)) < 2:
        return ""
    value, years = top
    if years == [latest_year]:
        return labels.ui("peak_is_latest", lang)
    # A peak equal to its own year is a row the data notes flag (it may be an entry error).
    key = "peak_years_equal_year" if value in years else "peak_years"
    return labels.ui_n(key, len(years), lang, value=labels.number(value, lang), years=years_text(years, lang))


def victims_sentence(latest: S.Latest, status: pd.DataFrame, rate: str, country: str, lang: str) -> str:
    """'In 2022, 228 victims were detected (1.3 per 100,000 inhabitants); the highest count was
    …' — or, when the last year reported is suppressed, what it says and the last count; later
    breakdown-only years are named; with no national total at all, which breakdowns there are."""
    if latest.status == S.BREAKDOWN_ONLY:
        return labels.ui("sum_victims_breakdown_only", lang, country=country, **_breakdown_only(latest, lang))
    if latest.status == S.VALUE:
        peak = peak_phrase(status, lang, latest.year)
        key = "sum_victims_count_one" if latest.count == 1 else "sum_victims_count"
        text = labels.ui(key, lang, year=latest.year, n=labels.number(latest.count, lang),
                         rate=labels.ui("sum_rate", lang, rate=rate) if rate else "")
        return text + (labels.ui("sum_peak", lang, peak=peak) if peak else "") + _later(latest, lang) + "."
    key = "sum_victims_suppressed" if latest.status == S.SUPPRESSED else "sum_victims_ambiguous"
    text = labels.ui(key, lang, year=latest.year)
    if latest.last_count_year is not None:
        text += labels.ui("sum_last_count", lang, n=labels.number(latest.last_count, lang),
                          year=latest.last_count_year)
    return text + _later(latest, lang) + "."


def _form_coverage(mf: S.MainForm, lang: str) -> str:
    low, high = mf.reported
    key = "form_coverage" if low == high else "form_coverage_at_most"
    return labels.ui(key, lang, n=labels.number(high, lang), total=labels.number(mf.total, lang))


def _form_names(mf: S.MainForm, lang: str) -> str:
    return labels.join([labels.label("form", f, lang).lower() for f in mf.forms], lang)


def _form_share(mf: S.MainForm, lang: str) -> str:
    """'117 of 162 detected victims'; a count above the total is said as such (a flagged row)."""
    if mf.total is None:
        return labels.ui("form_no_total", lang)
    if mf.count is None:
        return ""
    key = "form_share" if mf.count <= mf.total else "form_above_total"
    return labels.ui(key, lang, n=labels.number(mf.count, lang), total=labels.number(mf.total, lang))


def main_form_fact(mf: S.MainForm, lang: str) -> tuple[str, str]:
    """The key fact 'main form of exploitation': (value, what goes under it)."""
    if mf.verdict == "none":
        return labels.ui("not_reported", lang), ""
    if mf.verdict == "lead":
        form = labels.label("form", mf.form, lang)
        return labels.ui("value_in_year", lang, value=form, year=mf.year), _form_share(mf, lang)
    if mf.verdict == "suppressed":
        return labels.ui("form_all_suppressed", lang, year=mf.year), ""
    value = labels.ui("form_unclear", lang, year=mf.year)
    if mf.verdict == "partial":
        return value, labels.ui("form_partial", lang, forms=_form_names(mf, lang))
    return value, (labels.ui("form_none_ahead", lang) if mf.verdict == "close" else _form_coverage(mf, lang))


def main_form_sentence(mf: S.MainForm, lang: str) -> str:
    """The summary's sentence on forms of exploitation ('' when there is no form data)."""
    if mf.verdict == "none":
        return ""
    if mf.verdict == "lead":
        share = _form_share(mf, lang)
        return labels.ui("sum_form", lang, year=mf.year, form=labels.label("form", mf.form, lang).lower(),
                         share=labels.ui("in_parentheses", lang, text=share) if share else "")
    if mf.verdict in ("few", "unsure"):
        return labels.ui(f"sum_form_{mf.verdict}", lang, year=mf.year, coverage=_form_coverage(mf, lang))
    if mf.verdict == "partial":
        return labels.ui("sum_form_partial", lang, year=mf.year, forms=_form_names(mf, lang))
    return labels.ui(f"sum_form_{mf.verdict}", lang, year=mf.year)


def only_suppressed(kind: str, country: str, years: list[int], lang: str, what: str = "") -> str:
    """Why there is no chart: every figure is suppressed or ambiguous."""
    return labels.ui_n("only_suppressed", len(years), lang, what=what or labels.ui(f"what_{kind}", lang),
                       country=country, years=years_text(years, lang))


def coverage(breakdown: str, cov: S.Coverage, lang: str) -> str:
    """'2013: reported for 114 of the 234 victims' (or 'at most 118 of …' with suppressed parts)."""
    key = "coverage_exact" if cov.low == cov.high else "coverage_at_most"
    return labels.ui(key, lang, year=cov.year, n=labels.number(cov.high, lang), total=labels.number(cov.total, lang))


def _part_label(row, lang: str) -> str:
    if row["dimension"] == "form":
        bits = [labels.label("sex", row["sex"], lang)] if row["sex"] != "total" else []
        bits += [labels.label("age", row["age"], lang)] if row["age"] != "total" else []
        form = labels.label("form", row["category"], lang)
        return ", ".join([form] + bits)
    if row["dimension"] in ("citizenship", "repatriation"):
        return labels.label("place", row["category"], lang) if row["category"].islower() \
            else labels.country(row["category"], lang)
    bits = [labels.label("sex", row["sex"], lang)] if row["sex"] != "total" else []
    bits += [labels.label("age", row["age"], lang)] if row["age"] != "total" else []
    return ", ".join(bits) or labels.label("sex", "total", lang)


def flag_breakdowns(row) -> tuple[str, ...]:
    """Which breakdowns a data note is about: 'total', 'sex', 'age', 'form', 'citizenship'…"""
    if row["kind"] == "breakdown_exceeds_total":
        return (row["dimension"],)
    if row["kind"] == "breakdowns_disagree":
        return (row["dimension"], row["category"])
    return (S.row_breakdown(row),)


def flag_text(row, lang: str) -> str:
    """One data note (a row of data/data_notes.csv) in words."""
    values = {"year": int(row["year"]), "value": labels.number(int(row["value"]), lang)}
    if row["kind"] in ("value_equals_year", "part_exceeds_total"):
        values["part"] = _part_label(row, lang)
    if row["kind"] == "breakdown_exceeds_total":
        values["breakdown"] = labels.ui(f"breakdown_{row['dimension']}", lang)
    if row["kind"] == "breakdowns_disagree":
        values["breakdown"] = labels.ui(f"breakdown_{row['dimension']}", lang)
        values["other"] = labels.ui(f"breakdown_{row['category']}", lang)
    if row["kind"] != "value_equals_year":
        values["total"] = labels.number(int(row["total"]), lang)
    return labels.ui(f"flag_{row['kind']}", lang, **values)


def flag_items(flagged: pd.DataFrame, indicator: str, dimensions: tuple[str, ...], lang: str) -> list[tuple[int, str]]:
    """(year, note) for the data notes of one chart. ``dimensions``: which rows the chart draws —
    'total' (national totals), 'sex' and 'age' (breakdowns of the total), 'form', 'citizenship'."""
    if flagged.empty:
        return []
    mine = flagged[flagged["indicator"] == indicator].sort_values(["year", "kind"])
    return [(int(row["year"]), flag_text(row, lang)) for row in mine.to_dict("records")
            if set(flag_breakdowns(row)) & set(dimensions)]


def data_notes(flagged: pd.DataFrame, indicator: str, dimensions: tuple[str, ...], lang: str) -> list[str]:
    """The flagged cells of one chart, as one note in the page's language."""
    items = [text for _, text in flag_items(flagged, indicator, dimensions, lang)]
    return [labels.ui("note_flagged", lang, items="; ".join(items))] if items else []


def flags_by_year(flagged: pd.DataFrame, indicator: str, dimensions: tuple[str, ...], lang: str) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for year, text in flag_items(flagged, indicator, dimensions, lang):
        out.setdefault(year, []).append(text)
    return out


def citizenship_year_note(chosen, country: str, lang: str) -> str:
    """Why the citizenship chart shows its year, how much of that year's total it covers, and what
    the later years hold (``chosen``: a charts.counts.CitizenshipYear)."""
    cov = chosen.coverage
    share = {} if cov is None else {"n": labels.number(cov.low if chosen.why == "exceeds" else cov.high, lang),
                                    "total": labels.number(cov.total, lang)}
    key = "cit_year_no_nationals" if chosen.why == "latest" else f"cit_year_{chosen.why}"
    if cov is not None and cov.low != cov.high and chosen.why in ("most", "nationals"):
        key += "_at_most"
    text = labels.ui(key, lang, year=chosen.year, country=country, **share)
    if chosen.later_small:
        text += " " + labels.ui_n("cit_year_later_small", len(chosen.later_small), lang,
                                  years=years_text(chosen.later_small, lang))
    if chosen.later_without:
        text += " " + labels.ui_n("cit_year_later_without", len(chosen.later_without), lang,
                                  years=years_text(chosen.later_without, lang))
    return text


def main_citizenships(foreign: list[dict]) -> list[str]:
    """Up to three other citizenships with the most victims, among those with a count; a tie at
    the cut leaves out everything tied (a tie is never ranked alphabetically)."""
    counted = sorted((b for b in foreign if b["status"] == S.VALUE), key=lambda b: -b["count"])
    if len(counted) > 3 and counted[2]["count"] == counted[3]["count"]:
        counted = [b for b in counted if b["count"] > counted[3]["count"]]
    return [b["name"] for b in counted[:3]]


def citizenship_alt(country: str, year: int, national: dict | None, foreign: list[dict], lang: str) -> str:
    if national is None:
        nationals = labels.ui("cit_alt_no_nationals", lang, country=country)
    elif national["status"] == S.VALUE:
        nationals = labels.ui_n("cit_alt_nationals", national["count"], lang, country=country)
    else:
        nationals = labels.ui("cit_alt_nationals_suppressed", lang, country=country)
    main = main_citizenships(foreign)
    if not foreign:
        others = labels.ui_n("cit_alt_foreign", 0, lang)
    elif len(foreign) == 1:
        others = labels.ui_n("cit_alt_foreign", 1, lang, main=foreign[0]["name"])
    elif main:
        others = labels.ui_n("cit_alt_foreign", len(foreign), lang, main=labels.join(main, lang))
    elif all(b["status"] == S.SUPPRESSED for b in foreign):
        others = labels.ui_n("cit_alt_foreign_suppressed", len(foreign), lang)
    else:
        others = labels.ui_n("cit_alt_foreign_plain", len(foreign), lang)
    return labels.ui("cit_alt", lang, year=year, country=country, nationals=nationals, others=others)


def victims_alt(total: pd.DataFrame, country: str, first: int, last: int, lang: str) -> str:
    if not S.has_counts(total):
        return labels.ui("victims_alt_partial", lang, country=country, span=f"{first}–{last}")
    found = S.latest_count(total)
    latest = latest_phrase(labels.ui("what_total", lang), found, lang)
    peak = peak_phrase(total, lang, found.year if found.status == S.VALUE else None)
    text = labels.ui("victims_alt", lang, country=country, span=f"{first}–{last}", latest=latest)
    return text + (labels.ui("sum_peak", lang, peak=peak) if peak else "") + "."
