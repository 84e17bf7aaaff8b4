"""UNODC counts as year series, keeping what the source says about each year.

A year is one of:
- ``value``: a count;
- ``suppressed``: UNODC published ``<5`` (a count from 1 to 4) — never a number here;
- ``ambiguous``: the export has several differing rows for the same key and year, without the
  detail that tells them apart — not charted, listed in the CSV;
- absent: no row — a gap, never zero.
"""
from __future__ import annotations

import pandas as pd

VALUE, SUPPRESSED, AMBIGUOUS = "value", "suppressed", "ambiguous"


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


def latest(status: pd.DataFrame) -> pd.Series | None:
    """The most recent year with a count, or None."""
    counted = status[status["status"] == VALUE]
    return None if counted.empty else counted.iloc[-1]
