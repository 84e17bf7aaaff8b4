"""Deterministic CSV writing and the per-country change report shared by the importers."""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pandas as pd

from .. import data


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_existing(path: Path) -> pd.DataFrame | None:
    if not path.exists():
        return None
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def change_report(old: pd.DataFrame | None, new: pd.DataFrame, key: list[str], country: str = "iso3") -> str:
    """Rows added, removed and changed per country, comparing two versions of a table by key."""
    if old is None:
        counts = new[country].value_counts().sort_index() if country in new else pd.Series(dtype=int)
        lines = [f"new table: {len(new)} rows"]
        lines += [f"  {c}: +{n}" for c, n in counts.items()]
        return "\n".join(lines)
    old_i = old.set_index(key)
    new_i = new.set_index(key)
    added = new_i.index.difference(old_i.index)
    removed = old_i.index.difference(new_i.index)
    common = new_i.index.intersection(old_i.index)
    cols = [c for c in new_i.columns if c in old_i.columns]
    both_new = new_i.loc[common, cols]
    both_old = old_i.loc[common, cols]
    changed = common[(both_new != both_old).any(axis=1).to_numpy()]
    pos = key.index(country) if country in key else None

    def by_country(index) -> Counter:
        if pos is None:
            return Counter({"(all)": len(index)}) if len(index) else Counter()
        return Counter(ix[pos] if isinstance(ix, tuple) else ix for ix in index)

    a, r, c = by_country(added), by_country(removed), by_country(changed)
    lines = [f"{len(added)} added, {len(removed)} removed, {len(changed)} changed"]
    for code in sorted(set(a) | set(r) | set(c)):
        lines.append(f"  {code}: +{a[code]} -{r[code]} ~{c[code]}")
    if set(old.columns) != set(new.columns):
        lines.append(f"  columns: {list(old.columns)} -> {list(new.columns)}")
    return "\n".join(lines)


def write_table(df: pd.DataFrame, name: str, key: list[str], country: str = "iso3") -> str:
    """Write data/<name>.csv sorted by key; return the change report against the previous file."""
    target = data.data_dir() / f"{name}.csv"
    df = df.astype(str).replace({"<NA>": "", "nan": "", "None": ""})
    df = df.sort_values(key, kind="mergesort").reset_index(drop=True)
    old = _read_existing(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(target, index=False, lineterminator="\n", encoding="utf-8")
    return change_report(old, df, key, country)


def write_provenance(name: str, raw: Path | list[Path], notes: str, extra: dict | None = None) -> None:
    """data/provenance/<name>.json: which raw file(s) (by hash), which command and when produced
    the table, and the source ids its rows cite."""
    import datetime as dt
    import sys

    files = raw if isinstance(raw, list) else [raw]
    table = pd.read_csv(data.data_dir() / f"{name}.csv", dtype=str, keep_default_na=False)
    record = {
        "table": f"{name}.csv",
        "raw_files": {p.name: sha256(p) for p in files},
        "command": "scripts/import-" + _script_name(sys.argv[0]) + "".join(f" {a}" for a in sys.argv[1:]),
        "imported": dt.date.today().isoformat(),
        "source_ids": sorted(set(table["source_id"])) if "source_id" in table else [],
        "notes": notes,
        **(extra or {}),
    }
    out = data.data_dir() / "provenance" / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _script_name(module_path: str) -> str:
    """The scripts/ command that runs an importer module (tipkb/importers/policy.py -> the name
    its wrapper script passes; see scripts/import-*)."""
    import os

    return os.environ.get("KB_IMPORT_SCRIPT", Path(module_path).stem)


SOURCE_DEFAULTS = {"terms": "Cited, not reproduced", "as_of": "", "via_kind": ""}


def merge_sources(path: Path) -> int:
    """Add the sources of a curated ``*-sources.csv`` file to data/sources.csv (new ids only; an
    id already there must describe the same address). Returns how many were added."""
    incoming = pd.read_csv(path, dtype=str, keep_default_na=False)
    target = data.data_dir() / "sources.csv"
    current = pd.read_csv(target, dtype=str, keep_default_na=False)
    known = dict(zip(current["source_id"], current["url"]))
    rows = []
    for i, r in incoming.iterrows():
        if r["source_id"] in known:
            if known[r["source_id"]] != r.get("url", known[r["source_id"]]):
                raise ValueError(f"{path}, row {i + 2}: source {r['source_id']!r} is already in data/sources.csv "
                                 "with another address")
            continue
        row = {col: r.get(col, SOURCE_DEFAULTS.get(col, "")) for col in current.columns}
        if len(row.get("date", "")) == 4:  # a bare year is a year, not a date
            row["year"], row["date"] = row["year"] or row["date"], ""
        if row.get("via") and not row.get("via_kind"):
            row["via_kind"] = "copy"
        rows.append(row)
        known[r["source_id"]] = r.get("url", "")
    if rows:
        merged = pd.concat([current, pd.DataFrame(rows, columns=current.columns)], ignore_index=True)
        merged.to_csv(target, index=False, lineterminator="\n", encoding="utf-8")
    return len(rows)
