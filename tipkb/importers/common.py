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


def write_provenance(name: str, raw: Path, notes: str, extra: dict | None = None) -> None:
    """data/provenance/<name>.json: which raw file (by hash) and which script produced the table."""
    record = {
        "table": f"{name}.csv",
        "raw_file": raw.name,
        "raw_sha256": sha256(raw),
        "script": f"scripts/import-{name}",
        "notes": notes,
        **(extra or {}),
    }
    out = data.data_dir() / "provenance" / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
