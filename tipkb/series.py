"""UNODC counts as year series, keeping what the source says about each year.

A year is one of:
- ``value``: a count;
- ``suppressed``: UNODC published ``<5`` (a count from 1 to 4) — never a number here;
- ``ambiguous``: the export has several differing rows for the same key and year, without the
  detail that tells them apart — not charted, listed in the CSV;
- absent: no row — a gap, never zero.

"The latest year" is the latest year *reported*, whatever its status: a later suppressed year is
never skipped in favour of an earlier count (:func:`last_reported`, :func:`latest_count`).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

VALUE, SUPPRESSED, AMBIGUOUS = "value", "suppressed", "ambiguous"
SUPPRESSED_MAX = 4  # "<5": a count from 1 to 4

# The national total of an indicator: no breakdown by category, sex or age.
TOTAL = {"dimension": "total", "category": "total", "sex": "total", "age": "total"}


def year_status(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per year: year, status, count (Int64; NA unless status is 'value')."""
    out = []
    for year, group in rows.groupby("year", sort=True):
        values = sorted(set(group["value"]))
        if len(values) > 1:
            out.append((int(year), AMBIGUOUS, pd.NA))
        elif values[0] == "<5":
            out.append((int(year), SUPPRESSED, pd.NA))
        else:
            out.append((int(year), VALUE, int(values[0])))
    frame = pd.DataFrame(out, columns=["year", "status", "count"])
    frame["count"] = frame["count"].astype("Int64")
    return frame


def pick(rows: pd.DataFrame, **key) -> pd.DataFrame:
    """Rows matching every column=value in ``key``."""
    mask = pd.Series(True, index=rows.index)
    for column, value in key.items():
        mask &= rows[column] == value
    return rows[mask]


def national(rows: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """Year status of an indicator's national total."""
    return year_status(pick(rows, indicator=indicator, **TOTAL))


def counted(status: pd.DataFrame) -> pd.DataFrame:
    return status[status["status"] == VALUE]


def has_counts(status: pd.DataFrame) -> bool:
    return not counted(status).empty


def latest(status: pd.DataFrame) -> pd.Series | None:
    """The most recent year with a count, or None (see :func:`last_reported` first)."""
    rows = counted(status)
    return None if rows.empty else rows.iloc[-1]


def last_reported(status: pd.DataFrame) -> pd.Series | None:
    """The most recent year with any row, whatever its status."""
    return None if status.empty else status.iloc[-1]


@dataclass
class Latest:
    """What a sentence about "the latest figure" must say: the last year reported and, when that
    year is not a count, the last count before it."""
    year: int
    status: str
    count: int | None              # the count of ``year`` when status is VALUE
    last_count_year: int | None    # when ``year`` is not a count: the latest earlier count
    last_count: int | None


def latest_count(status: pd.DataFrame) -> Latest | None:
    last = last_reported(status)
    if last is None:
        return None
    if last["status"] == VALUE:
        return Latest(int(last["year"]), VALUE, int(last["count"]), None, None)
    earlier = latest(status)
    return Latest(int(last["year"]), str(last["status"]), None,
                  None if earlier is None else int(earlier["year"]),
                  None if earlier is None else int(earlier["count"]))


def peak(status: pd.DataFrame) -> tuple[int, list[int]] | None:
    """The highest count and every year that had it (ties are all named)."""
    rows = counted(status)
    if rows.empty:
        return None
    top = int(rows["count"].max())
    return top, [int(y) for y in rows.loc[rows["count"] == top, "year"]]


def reported_years(status: pd.DataFrame, kind: str | None = None) -> list[int]:
    rows = status if kind is None else status[status["status"] == kind]
    return [int(y) for y in rows["year"]]


@dataclass
class Coverage:
    """How much of a year's total a breakdown accounts for (suppressed parts count 1 to 4)."""
    year: int
    total: int
    low: int
    high: int

    @property
    def partial(self) -> bool:
        return self.high < self.total

    @property
    def exceeds(self) -> bool:
        return self.low > self.total


def breakdown_coverage(total: pd.DataFrame, parts: list[pd.DataFrame]) -> dict[int, Coverage]:
    """For each year with a counted total and at least one reported part: the range the parts
    add up to. A part not reported that year counts 0; an ambiguous part leaves the year out."""
    out = {}
    totals = counted(total).set_index("year")["count"]
    for year, value in totals.items():
        statuses = [p.set_index("year").loc[year] for p in parts if year in set(p["year"])]
        if not statuses or any(s["status"] == AMBIGUOUS for s in statuses):
            continue
        low = sum(int(s["count"]) if s["status"] == VALUE else 1 for s in statuses)
        high = sum(int(s["count"]) if s["status"] == VALUE else SUPPRESSED_MAX for s in statuses)
        out[int(year)] = Coverage(int(year), int(value), low, high)
    return out
