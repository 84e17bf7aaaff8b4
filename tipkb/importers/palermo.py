"""UN Trafficking Protocol status, checked row by row -> data/palermo.csv.

Input: data/curated/palermo_<date>.csv (one row per state: signature, deposit date and kind,
entry into force, party, sources, and a working ``verification`` note that is not published) and
its ``-sources.csv`` companion (sources not yet in data/sources.csv, merged in).

Dates stay as precise as the sources give them (a day or a month); an empty date means "not
found", never "not a party", and an entry-into-force date is never turned into a deposit date.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

from .common import TableUpdate, run, sources_with, write_provenance, write_tables

COLUMNS = ["iso3", "signature_date", "deposit_date", "deposit_kind", "deposit_kind_basis", "entry_into_force", "party",
           "source_id", "second_source_id", "checked"]
DATE = re.compile(r"\d{4}-\d{2}(-\d{2})?")


def convert(raw: pd.DataFrame) -> pd.DataFrame:
    missing = set(COLUMNS) - set(raw.columns)
    if missing:
        raise ValueError(f"missing column(s) {sorted(missing)}")
    for i, r in raw.iterrows():
        for col in ("signature_date", "deposit_date", "entry_into_force"):
            if r[col] and not DATE.fullmatch(r[col]):
                raise ValueError(f"row {i + 2}, column {col!r}: {r[col]!r} is not YYYY-MM-DD or YYYY-MM")
        if r["party"] == "yes" and not (r["deposit_date"] or r["entry_into_force"] or r["source_id"]):
            raise ValueError(f"row {i + 2}: a party needs a source")
    return raw[COLUMNS].copy()


def main(argv: list[str]) -> int:
    return run(argv, "scripts/import-palermo <data/curated/palermo_YYYY_MM.csv>", 1, _import)


def _import(args: list[str], allow_shrink: bool) -> int:
    raw_path = Path(args[0])
    table = convert(pd.read_csv(raw_path, dtype=str, keep_default_na=False))
    companion = raw_path.with_name(raw_path.stem + "-sources.csv")
    sources, added = sources_with([companion] if companion.exists() else [])
    reports = write_tables([TableUpdate(table, "palermo", ["iso3"]),
                            TableUpdate(sources, "sources", ["source_id"], country="")], allow_shrink)
    print(f"data/palermo.csv: {len(table)} rows ({added} new sources)\n" + reports[0])
    write_provenance("palermo", raw_path, "UN Trafficking Protocol status, each row checked in its sources "
                     "(verification notes stay in the curated file)", {"rows": len(table)})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
