"""US TIP Report placements -> data/tip_tiers.csv, one report year at a time.

    scripts/import-tiers placements.csv [more.csv ...]   # merge placements (e.g. next year's)
    scripts/import-tiers --kelley map_tiers.csv          # rebuild 2001-2015 from Kelley and Heiss

A placements file has one row per state and report year: ``iso3,year,tier,source_id`` (other
columns, such as a working ``verification`` note, are ignored and never published). Its rows
replace the table's rows for the same state and year; an empty tier removes the row (not
established). Sources not yet in data/sources.csv go in ``<file>-sources.csv`` beside it.
The command prints what changed, state by state.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from .. import data
from . import policy
from .common import TableUpdate, run, sources_with, write_provenance, write_tables

TIERS = ("tier1", "tier2", "tier2_watch", "tier3", "special_case", "not_ranked")
KEY = ["iso3", "year"]


def read_placements(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = {"iso3", "year", "tier", "source_id"} - set(frame.columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {sorted(missing)}")
    members = policy.members()
    for i, r in frame.iterrows():
        where = f"{path}, row {i + 2}"
        if r["iso3"] not in members:
            raise ValueError(f"{where}, column 'iso3': {r['iso3']!r} is not a member state")
        if not r["year"].isdigit() or not 2001 <= int(r["year"]) <= 2100:
            raise ValueError(f"{where}, column 'year': {r['year']!r} is not a report year")
        if r["tier"] and r["tier"] not in TIERS:
            raise ValueError(f"{where}, column 'tier': {r['tier']!r} is not one of {', '.join(TIERS)} (or empty)")
        if r["tier"] and not r["source_id"]:
            raise ValueError(f"{where}, column 'source_id': a placement needs its source")
    dupes = frame[frame.duplicated(KEY, keep=False)]
    if len(dupes):
        raise ValueError(f"{path}: state and year twice: {dupes[KEY].values.tolist()[:5]}")
    return frame.assign(year=frame["year"].astype(int))[["iso3", "year", "tier", "source_id"]]


def merge(current: pd.DataFrame, incoming: pd.DataFrame) -> pd.DataFrame:
    keys = set(zip(incoming["iso3"], incoming["year"]))
    kept = current[[(i, y) not in keys for i, y in zip(current["iso3"], current["year"].astype(int))]]
    added = incoming[incoming["tier"] != ""]
    return pd.concat([kept.assign(year=kept["year"].astype(int)), added], ignore_index=True)


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--kelley":
        return run(argv[1:], "scripts/import-tiers --kelley <map_tiers.csv>", 1,
                   lambda args, shrink: _import([Path(args[0])], shrink, kelley=True))
    files = [a for a in argv if not a.startswith("-")]
    return run(argv, "scripts/import-tiers <placements.csv> [more.csv ...]", len(files) or 1,
               lambda args, shrink: _import([Path(a) for a in args], shrink))


def _import(files: list[Path], allow_shrink: bool, kelley: bool = False) -> int:
    current = pd.read_csv(data.data_dir() / "tip_tiers.csv", dtype=str, keep_default_na=False)
    if kelley:
        incoming = policy.tip_tiers(files[0])
        current = current[current["source_id"] != "kelley-heiss-tiers"]
    else:
        incoming = pd.concat([read_placements(p) for p in files], ignore_index=True)
    companions = [p.with_name(p.stem + "-sources.csv") for p in files]
    sources, added = sources_with([c for c in companions if c.exists()])
    table = merge(current, incoming)
    reports = write_tables([TableUpdate(table, "tip_tiers", KEY),
                            TableUpdate(sources, "sources", ["source_id"], country="")], allow_shrink)
    print(f"data/tip_tiers.csv: {len(table)} rows, report years {table['year'].min()}-{table['year'].max()} "
          f"({added} new sources)\n" + reports[0])
    write_provenance("tip_tiers", files, "US TIP Report placements: 2001-2015 coded by Kelley and Heiss (MIT), "
                     "later years compiled by this project from the report narratives and placement lists",
                     {"rows": len(table)})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
