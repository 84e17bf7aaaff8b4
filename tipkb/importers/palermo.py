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

from .common import merge_sources, write_provenance, write_table

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
    if len(argv) != 1:
        print("usage: scripts/import-palermo <data/curated/palermo_YYYY_MM.csv>", file=sys.stderr)
        return 2
    raw_path = Path(argv[0])
    try:
        raw = pd.read_csv(raw_path, dtype=str, keep_default_na=False)
        table = convert(raw)
        sources_path = raw_path.with_name(raw_path.stem + "-sources.csv")
        added = merge_sources(sources_path) if sources_path.exists() else 0
    except (ValueError, OSError, pd.errors.ParserError) as err:
        print(f"{raw_path}: {err}", file=sys.stderr)
        return 1
    print(f"data/palermo.csv: {len(table)} rows ({added} new sources)\n" + write_table(table, "palermo", ["iso3"]))
    write_provenance("palermo", raw_path, "UN Trafficking Protocol status, each row checked in its sources "
                     "(verification notes stay in the curated file)", {"rows": len(table)})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
