"""Palermo Protocol status table (research compilation) -> data/palermo.csv.

Dates stay as the sources give them; an empty date means "not found", never "not a party".
Each row points to the source of its dates (looked up by URL in data/sources.csv); rows with no
date point to the research compilation itself, whose notes say what was searched.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from .. import data
from .common import run, write_provenance, write_table

COMPILATION = "palermo-research-2026"
ACTIONS = {"ratification": "ratification", "accession": "accession", "not yet at snapshot": "not_yet", "": ""}


def convert(raw: pd.DataFrame) -> pd.DataFrame:
    sources = pd.read_csv(data.data_dir() / "sources.csv", dtype=str, keep_default_na=False)
    by_url = dict(zip(sources["url"], sources["source_id"]))
    out = []
    for i, r in raw.iterrows():
        dated = bool(r["signature_date"] or r["ratification_date"])
        if dated and r["source_url"] not in by_url:
            raise ValueError(f"row {i + 2}, column 'source_url': {r['source_url']!r} is not in data/sources.csv")
        if r["action"] not in ACTIONS:
            raise ValueError(f"row {i + 2}, column 'action': unknown value {r['action']!r}")
        out.append({
            "iso3": r["iso3"],
            "signature_date": r["signature_date"],
            "ratification_date": r["ratification_date"],
            "action": ACTIONS[r["action"]],
            "action_basis": r["action_basis"],  # "inferred" where no source states the instrument type
            "source_id": by_url[r["source_url"]] if dated else COMPILATION,
            "source_snapshot": r["source_snapshot_date"],
            "verified": r.get("verified", ""),
            "notes_en": r["notes"],
        })
    return pd.DataFrame(out)


def main(argv: list[str]) -> int:
    return run(argv, "scripts/import-palermo <status.csv>", 1, _import)


def _import(args: list[str], allow_shrink: bool) -> int:
    raw_path = Path(args[0])
    raw = pd.read_csv(raw_path, dtype=str, keep_default_na=False)
    table = convert(raw)
    print(f"data/palermo.csv: {len(table)} rows\n" + write_table(table, "palermo", ["iso3"], allow_shrink=allow_shrink))
    write_provenance("palermo", raw_path, "UN Trafficking Protocol signature/ratification research table, "
                     "checked with the search tool on 2026-11-28")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
