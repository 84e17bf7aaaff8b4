"""Rows of the UNODC export that do not add up, found by rule and flagged — never corrected.

The import writes them to data/data_notes.csv (one row per flagged cell, with its rule); the
charts show them as notes under the figure. The rules:

- ``value_equals_year``: the count is the year itself (2,022 victims in 2022) — possibly an entry
  error in the source, possibly a real count;
- ``part_exceeds_total``: one part of a breakdown (a form, a sex, an age group, a citizenship) is
  larger than the national total of the same indicator and year;
- ``breakdown_exceeds_total``: the parts of a breakdown (by sex, age, form or citizenship) add up
  to more than the total, even counting every suppressed part as 1;
- ``breakdowns_disagree``: in a year without a national count, two breakdowns (by form, sex or
  age) of the same indicator cannot both be complete: one adds up to at least more than the other
  can at most (counting each suppressed part as 1 to 4, and a part not reported as 0). The note
  says "as reported", since a breakdown may leave categories out.
"""
from __future__ import annotations

import pandas as pd

from . import series as S

COLUMNS = ["iso3", "indicator", "dimension", "category", "sex", "age", "year", "kind", "value", "total",
           "source_id"]

# The breakdowns the charts draw, as filters on rows of one indicator, and the parts they add up.
BREAKDOWNS = {
    "sex": ({"dimension": "total", "category": "total", "age": "total"}, "sex", ("female", "male", "other")),
    "age": ({"dimension": "total", "category": "total", "sex": "total"}, "age", ("children", "adults", "unknown")),
    "form": ({"dimension": "form", "sex": "total", "age": "total"}, "category",
             ("sexual_exploitation", "forced_labour", "other_forms")),
}


def _bounds(group: pd.DataFrame, year: int) -> dict[str, tuple[int, int]]:
    """(at least, at most) that each breakdown of one indicator adds up to in a year."""
    out = {}
    rows = group[group["year"].astype(int) == year]
    parts_of = {name: [S.pick(rows, **fixed, **{column: p}) for p in parts]
                for name, (fixed, column, parts) in BREAKDOWNS.items()}
    for name, parts in parts_of.items():
        statuses = [S.year_status(p) for p in parts if not p.empty]
        if not statuses or any((st["status"] == S.AMBIGUOUS).any() for st in statuses):
            continue
        out[name] = S.parts_range([st.iloc[0] for st in statuses])
    return out


def _totals(rows: pd.DataFrame) -> dict[tuple[str, str, int], int]:
    out = {}
    for (iso3, indicator), group in S.pick(rows, **S.TOTAL).groupby(["iso3", "indicator"]):
        for rec in S.counted(S.year_status(group)).itertuples(index=False):
            out[(iso3, indicator, int(rec.year))] = int(rec.count)
    return out


def find(glotip: pd.DataFrame) -> pd.DataFrame:
    """Every flagged cell of a GLOTIP table, sorted, in the columns of data/data_notes.csv."""
    notes = []
    counted = glotip[glotip["value"] != "<5"]
    totals = _totals(glotip)
    is_total = ((glotip["dimension"] == "total") & (glotip["category"] == "total")
                & (glotip["sex"] == "total") & (glotip["age"] == "total"))
    for rec in counted.itertuples(index=False):
        row = rec._asdict()
        year, value = int(rec.year), int(rec.value)
        if value == year:
            notes.append({**row, "kind": "value_equals_year", "total": ""})
    for rec in counted[~is_total.loc[counted.index]].itertuples(index=False):
        total = totals.get((rec.iso3, rec.indicator, int(rec.year)))
        if total is not None and int(rec.value) > total:
            notes.append({**rec._asdict(), "kind": "part_exceeds_total", "total": total})
    for (iso3, indicator), group in glotip.groupby(["iso3", "indicator"]):
        total = S.year_status(S.pick(group, **S.TOTAL))
        breakdowns = {name: [S.year_status(S.pick(group, **fixed, **{column: p})) for p in parts]
                      for name, (fixed, column, parts) in BREAKDOWNS.items()}
        breakdowns["citizenship"] = S.citizenship_parts(S.pick(group, dimension="citizenship", sex="total", age="total"))
        for name, part_status in breakdowns.items():
            for year, cov in S.breakdown_coverage(total, part_status).items():
                if cov.exceeds:
                    notes.append({"iso3": iso3, "indicator": indicator, "dimension": name, "category": "total",
                                  "sex": "total", "age": "total", "year": year, "kind": "breakdown_exceeds_total",
                                  "value": cov.low, "total": cov.total,
                                  "source_id": group["source_id"].iloc[0]})
    for (iso3, indicator), group in glotip.groupby(["iso3", "indicator"]):
        # Only where there is no national count to compare each breakdown with.
        for year in sorted({int(y) for y in group["year"]} - {y for (i, ind, y) in totals if (i, ind) == (iso3, indicator)}):
            bounds = _bounds(group, year)
            for big, (low, _) in bounds.items():
                for small, (_, high) in bounds.items():
                    if big != small and low > high:
                        notes.append({"iso3": iso3, "indicator": indicator, "dimension": big, "category": small,
                                      "sex": "total", "age": "total", "year": year, "kind": "breakdowns_disagree",
                                      "value": low, "total": high, "source_id": group["source_id"].iloc[0]})
    frame = pd.DataFrame(notes)
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    frame["year"] = frame["year"].astype(int)
    frame = frame[COLUMNS].astype(str).drop_duplicates()
    return frame.sort_values(["iso3", "indicator", "year", "dimension", "category", "sex", "age", "kind"]).reset_index(drop=True)
