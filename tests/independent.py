"""The figures a page should state, recomputed from data/ with the standard library only.

Deliberately independent of tipkb: a test that reads what tipkb computed and compares it with
what tipkb computed proves nothing. These functions restate the rules of the methodology (the
latest year is the latest year reported; a suppressed count is never a number; a breakdown that
covers part of the total is not complete) in a few lines each.
"""
from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
TOTAL = {"dimension": "total", "category": "total", "sex": "total", "age": "total"}


@cache
def rows(table: str) -> tuple[dict, ...]:
    with open(DATA / f"{table}.csv", newline="", encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh))


@cache
def labels() -> dict[tuple[str, str], dict]:
    return {(r["domain"], r["code"]): r for r in rows("codebook")}


def label(domain: str, code: str, lang: str) -> str:
    return labels()[(domain, code)][f"label_{lang}"]


def ui(key: str, lang: str, **values) -> str:
    return label("ui", key, lang).format(**values)


def number(n: int, lang: str) -> str:
    """1,234 / 1234; 12,345 / 12 345 (narrow no-break space from five digits in Spanish)."""
    digits = f"{n:,}"
    if lang == "en":
        return digits
    return digits.replace(",", "\u202f") if n >= 10_000 else str(n)


def country_name(iso3: str, lang: str) -> str:
    for table in ("countries", "country_names"):
        for r in rows(table):
            if r["iso3"] == iso3:
                return r[f"name_{lang}"]
    raise KeyError(iso3)


def members() -> list[str]:
    return [r["iso3"] for r in rows("countries")]


def matching(iso3: str, **key) -> list[dict]:
    return [r for r in rows("glotip") if r["iso3"] == iso3 and all(r[k] == v for k, v in key.items())]


def by_year(records: list[dict]) -> dict[int, tuple[str, int | None]]:
    """year -> ("value", n) / ("suppressed", None) / ("ambiguous", None)."""
    values: dict[int, set[str]] = {}
    for r in records:
        values.setdefault(int(r["year"]), set()).add(r["value"])
    out = {}
    for year, found in values.items():
        if len(found) > 1:
            out[year] = ("ambiguous", None)
        elif found == {"<5"}:
            out[year] = ("suppressed", None)
        else:
            out[year] = ("value", int(next(iter(found))))
    return dict(sorted(out.items()))


def national(iso3: str, indicator: str) -> dict[int, tuple[str, int | None]]:
    return by_year(matching(iso3, indicator=indicator, **TOTAL))


def latest(series: dict[int, tuple[str, int | None]]):
    """(year, status, count, last_count_year, last_count) of the latest year reported."""
    if not series:
        return None
    year = max(series)
    status, count = series[year]
    counted = [y for y, (s, _) in series.items() if s == "value"]
    earlier = max(counted) if counted else None
    if status == "value":
        return year, status, count, None, None
    return year, status, None, earlier, series[earlier][1] if earlier else None


def population(iso3: str, year: int) -> int | None:
    for r in rows("population"):
        if r["iso3"] == iso3 and int(r["year"]) == year:
            return int(r["population"])
    return None


def rate(count: int, people: int) -> float:
    return count * 100_000 / people


def breakdown_sum(iso3: str, year: int, parts: list[dict]) -> tuple[int, int] | None:
    """(low, high) that the parts of a breakdown add up to in a year (suppressed = 1 to 4)."""
    low = high = 0
    seen = False
    for key in parts:
        series = by_year(matching(iso3, indicator="detected_victims", **key))
        if year not in series:
            continue
        seen = True
        status, count = series[year]
        if status == "ambiguous":
            return None
        low += count if status == "value" else 1
        high += count if status == "value" else 4
    return (low, high) if seen else None


SEX_PARTS = [{"dimension": "total", "category": "total", "age": "total", "sex": s} for s in ("female", "male", "other")]


def citizenship_year(iso3: str) -> int | None:
    """The latest year whose citizenship breakdown names the state's nationals and accounts for at
    least half of the national total (or has no counted total to compare with); failing that, the
    latest year naming nationals; failing that, the latest year."""
    cit = matching(iso3, indicator="detected_victims", dimension="citizenship", sex="total", age="total")
    if not cit:
        return None
    with_nationals = sorted({int(r["year"]) for r in cit if r["category"] in ("nationals", iso3)})
    total = national(iso3, "detected_victims")
    enough = []
    for year in with_nationals:
        parts = [r for r in cit if int(r["year"]) == year]
        statuses = [by_year([r for r in parts if r["category"] == c])[year] for c in {r["category"] for r in parts}]
        # Coverage can only be judged when the total is a count and no part is ambiguous.
        if year not in total or total[year][0] != "value" or any(s == "ambiguous" for s, _ in statuses):
            enough.append(year)
            continue
        high = sum(n if s == "value" else 4 for s, n in statuses)
        if 2 * high >= total[year][1]:
            enough.append(year)
    if enough:
        return enough[-1]
    if with_nationals:
        return with_nationals[-1]
    return max(int(r["year"]) for r in cit)
