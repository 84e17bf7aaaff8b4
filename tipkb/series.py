"""UNODC counts as year series, keeping what the source says about each year.

A year is one of:
- ``value``: a count;
- ``suppressed``: UNODC published ``<5`` (a count from 1 to 4) — never a number here;
- ``ambiguous``: the export has several differing rows for the same key and year, without the
  detail that tells them apart — not charted, listed in the CSV;
- absent: no row — a gap, never zero.

"The latest year" is the latest year *reported*, whatever its status: a later suppressed year is
never skipped in favour of an earlier count (:func:`last_reported`, :func:`latest_count`), and
later years that give only a breakdown (by age, sex, form…) without a national total are named
with it (:func:`latest_reported`).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

VALUE, SUPPRESSED, AMBIGUOUS = "value", "suppressed", "ambiguous"
BREAKDOWN_ONLY = "breakdown_only"  # no national total in any year: only breakdowns
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
    later: tuple[int, ...] = ()    # later years with only a breakdown, no national total
    breakdowns: tuple[str, ...] = ()  # the breakdowns of the later years (or of every year)
    first_year: int | None = None  # BREAKDOWN_ONLY: the first year with any row


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


def row_breakdown(row) -> str:
    """The breakdown a row belongs to: 'total' (the national total), 'sex', 'age', 'form',
    'citizenship', 'repatriation'."""
    if row["dimension"] != "total":
        return row["dimension"]
    return "sex" if row["sex"] != "total" else "age" if row["age"] != "total" else "total"


def breakdown_kinds(rows: pd.DataFrame) -> tuple[str, ...]:
    """The breakdowns among ``rows`` (not national totals): 'sex', 'age', 'form', 'citizenship'…"""
    kinds = {row_breakdown(r) for r in rows.to_dict("records")} - {"total"}
    order = ("sex", "age", "form", "citizenship", "repatriation")
    return tuple(sorted(kinds, key=lambda k: order.index(k) if k in order else len(order)))


def latest_reported(rows: pd.DataFrame, indicator: str) -> Latest | None:
    """What to say about an indicator's latest figure: the national total's latest year (see
    :func:`latest_count`) with any later breakdown-only years, or, when there is no national total
    at all, which breakdowns there are and for which years. None when the indicator has no row."""
    mine = pick(rows, indicator=indicator)
    years = sorted({int(y) for y in mine["year"]})
    if not years:
        return None
    found = latest_count(national(rows, indicator))
    if found is None:
        return Latest(years[-1], BREAKDOWN_ONLY, None, None, None, breakdowns=breakdown_kinds(mine),
                      first_year=years[0])
    found.later = tuple(y for y in years if y > found.year)
    found.breakdowns = breakdown_kinds(mine[mine["year"].astype(int) > found.year])
    return found


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
        out[int(year)] = Coverage(int(year), int(value), *parts_range(statuses))
    return out


def parts_range(parts) -> tuple[int, int]:
    """(at least, at most) that parts add up to, each part one year's status (a '<5' counts 1 to 4)."""
    low = sum(int(p["count"]) if p["status"] == VALUE else 1 for p in parts)
    high = sum(int(p["count"]) if p["status"] == VALUE else SUPPRESSED_MAX for p in parts)
    return low, high


def citizenship_parts(cit: pd.DataFrame) -> list[pd.DataFrame]:
    """The year status of each part of a citizenship breakdown (not its total or blank rows)."""
    return [year_status(g) for category, g in cit.groupby("category") if category not in NOT_CITIZENSHIP_PARTS]


FORMS = ("sexual_exploitation", "forced_labour", "other_forms")
# Citizenship categories that are not a part of the breakdown: the source's own total row, and a
# blank category whose meaning the source does not give (it sometimes repeats the total).
NOT_CITIZENSHIP_PARTS = ("total", "unspecified")


@dataclass
class MainForm:
    """What can be said about the main form of exploitation in the latest year with form data.

    ``verdict``: 'lead' (``form`` had the most detected victims, whatever the form of the victims
    whose form is not reported), 'few' (forms are reported for under half of the year's total),
    'unsure' (a form leads among those reported, but the victims not reported could change that),
    'close' (no form is clearly ahead), 'suppressed' (every form is reported, each '<5'), 'partial'
    (some forms have no figure that year and there is no national total to bound them), 'none' (no
    form data)."""
    verdict: str
    year: int | None = None
    form: str | None = None
    count: int | None = None        # the leader's count when exact
    total: int | None = None        # the national total that year, when counted
    reported: tuple[int, int] = (0, 0)  # victims whose form is reported: at least, at most
    forms: tuple[str, ...] = ()     # 'partial': the forms that have a figure


def _form_bounds(rows: pd.DataFrame) -> tuple[int, int]:
    """(at least, at most) for one form in one year. Several differing rows (the source's finer
    categories merged into one form, or duplicates) give at least the smallest, at most the sum."""
    parts = [(1, SUPPRESSED_MAX) if v == "<5" else (int(v), int(v)) for v in rows["value"]]
    if len(set(rows["value"])) == 1:
        return parts[0]
    return min(p[0] for p in parts), sum(p[1] for p in parts)


def main_form(rows: pd.DataFrame) -> MainForm:
    """The main form of exploitation of detected victims, in the latest year with form data."""
    forms = pick(rows, indicator="detected_victims", dimension="form", sex="total", age="total")
    forms = forms[forms["category"].isin(FORMS)]
    if forms.empty:
        return MainForm("none")
    year = int(forms["year"].astype(int).max())
    bounds = {form: _form_bounds(group) for form, group in forms[forms["year"].astype(int) == year].groupby("category")}
    reported = (sum(b[0] for b in bounds.values()), sum(b[1] for b in bounds.values()))
    totals = national(rows, "detected_victims")
    row = totals[(totals["year"] == year) & (totals["status"] == VALUE)]
    total = int(row["count"].iloc[0]) if not row.empty else None
    if total is not None and 2 * reported[1] < total:
        return MainForm("few", year, total=total, reported=reported)
    missing = [f for f in FORMS if f not in bounds]
    if missing and total is None:
        # A form without a figure could have any number of victims: nothing bounds it.
        return MainForm("partial", year, total=None, reported=reported, forms=tuple(sorted(bounds)))
    if not missing and all(b == (1, SUPPRESSED_MAX) for b in bounds.values()):
        return MainForm("suppressed", year, total=total, reported=reported)
    leader = max(bounds, key=lambda f: bounds[f][0])
    low, high = bounds[leader]
    rival = max(bounds.get(f, (0, 0))[1] for f in FORMS if f != leader)
    found = MainForm("lead", year, leader, low if low == high else None, total, reported)
    if low <= rival:
        found.verdict, found.form, found.count = "close", None, None
    elif total is not None and low <= min(rival + max(total - reported[0], 0), total - low):
        # A rival has at most its reported count plus every unreported victim, and at most what
        # the leader leaves of the total.
        found.verdict = "unsure"
    return found
