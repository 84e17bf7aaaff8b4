"""Measures in place, checked row by row -> data/measures.csv, data/measure_notes.csv and
data/measure_changes.csv.

Input: data/curated/measures/<group>.csv (one row per state and measure, with a working
``verification`` note that is not published), ``<group>-notes.csv`` (disagreements and
corroborations, both languages) and ``<group>-sources.csv`` (sources to add to data/sources.csv).
The measure codes and statuses allowed are those of the data package's schema.

The change log compares the new table with the previous data/measures.csv and appends one row per
state and measure added or changed, dated with the import: the "Recent changes" section of the
measures chapter reads it.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd

from .. import data
from .common import TableUpdate, run, sources_with, write_provenance, write_tables

COLUMNS = ["iso3", "measure", "status", "name", "name_en", "name_es", "year", "period", "description_en",
           "description_es", "source_id", "source_type", "source_date", "checked", "practice_id"]
COMPILATION = "measures-compilation"
PUBLIC_WHEN_UNCLEAR = ["iso3", "measure", "status"]  # an unclear row publishes nothing else but its source
COMPARED = ["status", "name", "year", "period", "description_en", "description_es", "source_id"]


def _schema_enum(field: str) -> list[str]:
    for resource in data.package()["resources"]:
        if resource["name"] == "measures":
            return next(f for f in resource["schema"]["fields"] if f["name"] == field)["constraints"]["enum"]
    raise ValueError("data/datapackage.json has no 'measures' resource")


def read_group(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = set(COLUMNS) - set(frame.columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {sorted(missing)}")
    codes, statuses = _schema_enum("measure"), _schema_enum("status")
    for i, r in frame.iterrows():
        where = f"{path}, row {i + 2}"
        if r["measure"] not in codes:
            raise ValueError(f"{where}, column 'measure': {r['measure']!r} is not one of {codes}")
        if r["status"] not in statuses:
            raise ValueError(f"{where}, column 'status': {r['status']!r} is not one of {statuses}")
        if r["status"] != "unclear":
            for col in ("source_id", "description_en", "description_es", "checked"):
                if not r[col].strip():
                    raise ValueError(f"{where}, column {col!r}: required unless the status is 'unclear'")
    unclear = frame["status"] == "unclear"
    frame.loc[unclear, [c for c in COLUMNS if c not in PUBLIC_WHEN_UNCLEAR]] = ""
    # "Not established in the sources consulted" is this compilation's own statement.
    frame.loc[unclear, "source_id"] = COMPILATION
    return frame[COLUMNS]


def changes(old: pd.DataFrame | None, new: pd.DataFrame, when: str) -> pd.DataFrame:
    key = ["iso3", "measure"]
    if old is None:
        out = new[key + ["status"]].assign(change="added")
    else:
        merged = new.merge(old, on=key, how="left", suffixes=("", "_old"), indicator=True)
        added = merged["_merge"] == "left_only"
        differs = pd.Series(False, index=merged.index)
        for col in COMPARED:
            if f"{col}_old" in merged:
                differs |= merged[col].astype(str) != merged[f"{col}_old"].astype(str)
        merged["change"] = "changed"
        merged.loc[added, "change"] = "added"
        out = merged[added | differs][key + ["status", "change"]]
    return out.assign(updated=when, source_id=COMPILATION)[["iso3", "measure", "change", "status", "updated", "source_id"]]


def merge_log(log: pd.DataFrame, new: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Append today's changes; a row already logged today keeps its kind ("added" stays "added"
    when a same-day re-import changes it again) and takes the current status."""
    merged = pd.concat([log, new], ignore_index=True).drop_duplicates(["updated", "iso3", "measure"], keep="first")
    status = dict(zip(zip(table["iso3"], table["measure"]), table["status"]))
    today = new["updated"].iloc[0] if len(new) else None
    same_day = merged["updated"] == today
    merged.loc[same_day, "status"] = [status[(i, m)] for i, m in zip(merged.loc[same_day, "iso3"],
                                                                       merged.loc[same_day, "measure"])]
    return merged


def main(argv: list[str]) -> int:
    folder = [a for a in argv if not a.startswith("-")] or [str(data.data_dir() / "curated" / "measures")]
    return run([*folder, *[a for a in argv if a.startswith("-")]], "scripts/import-measures [folder]", 1, _import)


def _import(args: list[str], allow_shrink: bool) -> int:
    folder = Path(args[0])
    groups = sorted(p for p in folder.glob("*.csv") if not p.stem.endswith(("-notes", "-sources")))
    if not groups:
        raise ValueError(f"{folder}: no group files")
    table = pd.concat([read_group(p) for p in groups], ignore_index=True)
    dupes = table[table.duplicated(["iso3", "measure"], keep=False)]
    if len(dupes):
        raise ValueError(f"{folder}: state and measure twice: {dupes[['iso3', 'measure']].values.tolist()[:5]}")
    note_files = [p.with_name(p.stem + "-notes.csv") for p in groups if p.with_name(p.stem + "-notes.csv").exists()]
    notes = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in note_files], ignore_index=True)
    # A status not established keeps only notes saying what the sources do say (kind "known").
    published = set(map(tuple, table.loc[table["status"] != "unclear", ["iso3", "measure"]].values))
    notes = notes[[(a, b) in published or kind == "known"
                   for a, b, kind in zip(notes["iso3"], notes["measure"], notes["kind"])]]
    sources, added = sources_with([p.with_name(p.stem + "-sources.csv") for p in groups
                                   if p.with_name(p.stem + "-sources.csv").exists()])
    target = data.data_dir() / "measures.csv"
    old = pd.read_csv(target, dtype=str, keep_default_na=False) if target.exists() else None
    log_path = data.data_dir() / "measure_changes.csv"
    log = pd.read_csv(log_path, dtype=str, keep_default_na=False) if log_path.exists() else None
    today = dt.date.today().isoformat()
    new_changes = changes(old, table, today)
    log = new_changes if log is None else merge_log(log, new_changes, table)
    reports = write_tables([TableUpdate(table, "measures", ["iso3", "measure"]),
                            TableUpdate(notes, "measure_notes", ["iso3", "measure", "note_no"]),
                            TableUpdate(log, "measure_changes", ["updated", "iso3", "measure"]),
                            TableUpdate(sources, "sources", ["source_id"], country="")], allow_shrink)
    print(f"data/measures.csv: {len(table)} rows, {table['iso3'].nunique()} states ({added} new sources)\n" + reports[0])
    print("data/measure_notes.csv: " + reports[1])
    print(f"data/measure_changes.csv: {len(new_changes)} row(s) added or changed on {today}\n" + reports[2])
    write_provenance("measures", groups, "Measures in place, each row checked in its source; "
                     f"groups: {', '.join(p.stem for p in groups)}", {"rows": len(table)})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
