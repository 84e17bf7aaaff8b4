"""Rates per 100,000 inhabitants, next to the counts they come from.

A rate is computed only from a count (never from a suppressed ``<5`` count) and the World Bank
population of the same year. A rate of *detected* victims measures detection and reporting
relative to population, not how common trafficking is: every rate is shown next to its count, and
small states with a handful of cases can show large rates.
"""
from __future__ import annotations

import pandas as pd

from . import data, labels, myst
from . import series as S

PER = 100_000


def population(iso3: str, year: int) -> int | None:
    rows = data.table("population", iso3=iso3, year=year)
    return None if rows.empty else int(rows.iloc[0]["population"])


def value(count: int, people: int) -> float:
    return count * PER / people


def formatted(rate: float, lang: str) -> str:
    """Two significant figures at most: 0.047, 1.3, 12."""
    digits = 3 if rate < 0.1 else 2 if rate < 1 else 1 if rate < 10 else 0
    return labels.number(round(rate, digits), lang) if digits else labels.number(int(round(rate)), lang)


def rate_for(c, latest: S.Latest | None) -> str:
    """'1.3 per 100,000' for a counted latest year with a population; '' otherwise."""
    if latest is None or latest.status != S.VALUE:
        return ""
    people = population(c.iso3, latest.year)
    if not people:
        return ""
    return labels.ui("per_100k", c.lang, rate=formatted(value(latest.count, people), c.lang))


def country_note(c, key: str) -> str:
    """Under the victims and justice charts: each latest count with its rate and population."""
    indicators = ("detected_victims",) if key == "victims" else ("prosecuted", "convicted")
    parts = []
    for indicator in indicators:
        latest = c.latest(indicator)
        if latest is None or latest.status != S.VALUE:
            continue
        people = population(c.iso3, latest.year)
        if not people:
            continue
        parts.append(labels.ui("rate_part", c.lang, what=labels.label("indicator", indicator, c.lang).lower(),
                               n=labels.number(latest.count, c.lang), year=latest.year,
                               rate=formatted(value(latest.count, people), c.lang),
                               population=labels.number(people, c.lang)))
    if not parts:
        return ""
    return myst.text(labels.ui(f"rate_note_{key}", c.lang, parts="; ".join(parts)))


def table(glotip: pd.DataFrame, countries: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """Each state's latest figure of an indicator (a :class:`series.Latest`) with its rate when
    that figure is a count (for the theme pages)."""
    rows = []
    for iso3 in countries["iso3"]:
        latest = S.latest_reported(S.pick(glotip, iso3=iso3), indicator)
        if latest is None:
            continue
        people = population(iso3, latest.year) if latest.status == S.VALUE else None
        rows.append({"iso3": iso3, "latest": latest, "population": people,
                     "rate": value(latest.count, people) if people else None})
    return pd.DataFrame(rows)
