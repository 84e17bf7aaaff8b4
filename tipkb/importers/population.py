"""World Bank population (SP.POP.TOTL) of the member states -> data/population.csv.

Denominators for rates per 100,000 inhabitants (tipkb.rates). The raw file has columns
``Country Name, Country Code, Year, Value``; only member states and whole numbers are kept.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from .. import data
from .common import run, write_provenance, write_table

SOURCE_ID = "worldbank-sp-pop-totl"


def convert(raw: pd.DataFrame) -> pd.DataFrame:
    members = set(pd.read_csv(data.data_dir() / "countries.csv", dtype=str)["iso3"])
    missing = {"Country Code", "Year", "Value"} - set(raw.columns)
    if missing:
        raise ValueError(f"missing column(s) {sorted(missing)}")
    rows = raw[raw["Country Code"].isin(members)]
    bad = rows[~rows["Value"].astype(str).str.fullmatch(r"\d+") | ~rows["Year"].astype(str).str.fullmatch(r"\d{4}")]
    if len(bad):
        first = bad.index[0]
        raise ValueError(f"row {first + 2}: year {rows.loc[first, 'Year']!r} / value {rows.loc[first, 'Value']!r} "
                         "is not a whole number")
    return pd.DataFrame({"iso3": rows["Country Code"], "year": rows["Year"].astype(int),
                         "population": rows["Value"].astype("int64"), "source_id": SOURCE_ID})


def main(argv: list[str]) -> int:
    return run(argv, "scripts/import-population <population.csv>", 1, _import)


def _import(args: list[str], allow_shrink: bool) -> int:
    raw_path = Path(args[0])
    table = convert(pd.read_csv(raw_path, dtype=str, keep_default_na=False))
    print(f"data/population.csv: {len(table)} rows\n"
          + write_table(table, "population", ["iso3", "year"], allow_shrink=allow_shrink))
    write_provenance("population", raw_path, "World Bank, World Development Indicators, SP.POP.TOTL "
                     "(copy in the Frictionless data package datasets/population, commit 425fc447)",
                     {"source_id": SOURCE_ID, "rows": len(table)})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
