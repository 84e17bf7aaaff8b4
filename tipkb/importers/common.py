"""What the importers share: deterministic CSV writing that never replaces a table with one that
was not validated, the per-country change report, and the command line.

A new table is written to a temporary file beside the old one, checked (:func:`write_tables`):

- against the rest of the data package, by the validator, on a private copy of the data folder
  (schema, years in range, keys, codebook, sources, row floors);
- against the table it replaces: more than 5 % of the rows gone, or any state losing rows or years
  of coverage, is refused unless the importer is run with ``--allow-shrink``;

and only then moved over the old table with ``os.replace``. Any bad input ends with one line that
names the raw file, and data/ unchanged.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import data

MAX_SHRINK = 0.05  # share of rows a new version may lose without --allow-shrink
ALLOW_SHRINK = "--allow-shrink"


class ImportRefused(ValueError):
    """The new table was not written; the message says why."""


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


@dataclass
class TableUpdate:
    frame: pd.DataFrame
    name: str
    key: list[str]
    country: str = "iso3"

    def normalised(self) -> pd.DataFrame:
        df = self.frame.astype(str).replace({"<NA>": "", "nan": "", "None": ""})
        return df.sort_values(self.key, kind="mergesort").reset_index(drop=True)


def shrinkage(old: pd.DataFrame, new: pd.DataFrame, country: str = "iso3") -> list[str]:
    """How a new version of a table loses data: rows beyond MAX_SHRINK, states, years of states."""
    lost = []
    if len(new) < (1 - MAX_SHRINK) * len(old):
        lost.append(f"{len(old) - len(new)} of {len(old)} rows would go "
                    f"({100 * (len(old) - len(new)) / len(old):.1f} %, more than {100 * MAX_SHRINK:.0f} %)")
    if country in old.columns and country in new.columns:
        by = [country] + (["year"] if "year" in old.columns and "year" in new.columns else [])
        before = old.groupby(by).size()
        after = new.groupby(by).size().reindex(before.index, fill_value=0)
        gone = before.index[after.to_numpy() == 0]
        states: dict[str, list[str]] = {}
        for item in gone:
            code, *rest = item if isinstance(item, tuple) else (item,)
            states.setdefault(code, []).extend(rest)
        remaining = set(new[country])
        emptied = sorted(code for code in states if code not in remaining)
        if emptied:
            lost.append(f"{len(emptied)} state(s) would have no rows left: {', '.join(emptied)}")
        thinner = [(code, sorted(years)) for code, years in sorted(states.items()) if code in remaining and years]
        for code, years in thinner[:10]:
            lost.append(f"{code} would lose {len(years)} year(s) of data: {', '.join(years[:8])}"
                        + (" …" if len(years) > 8 else ""))
        if len(thinner) > 10:
            lost.append(f"… and {len(thinner) - 10} more state(s) would lose years of data")
    return lost


def _problems_with(staged: dict[str, Path]) -> list[str]:
    """Validate the data folder as it would be with the staged tables in place (on a copy)."""
    from .. import validate

    with tempfile.TemporaryDirectory(prefix="tipkb-import-") as tmp:
        copy = Path(tmp) / data.data_dir().name
        copy.mkdir()
        for path in data.data_dir().glob("*"):
            if path.is_file() and not path.name.startswith("."):
                shutil.copy2(path, copy / path.name)
        for name, path in staged.items():
            shutil.copy2(path, copy / f"{name}.csv")
        return validate.report(validate.validate(copy))


def write_tables(updates: list[TableUpdate], allow_shrink: bool = False) -> list[str]:
    """Replace data/<name>.csv for each update, all or none; return the change reports.

    Raises ImportRefused (nothing written) if a new table fails validation or loses data."""
    folder = data.data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    staged: dict[str, Path] = {}
    try:
        reports, refusals = [], []
        for update in updates:
            target = folder / f"{update.name}.csv"
            df = update.normalised()
            old = _read_existing(target)
            if old is not None and not allow_shrink:
                refusals += [f"{update.name}.csv: {line}" for line in shrinkage(old, df, update.country)]
            tmp = folder / f".{update.name}.csv.importing"
            df.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")
            staged[update.name] = tmp
            reports.append(change_report(old, df, update.key, update.country))
        if refusals:
            raise ImportRefused("the new data is smaller than the old:\n  " + "\n  ".join(refusals)
                                + f"\nIf the source really dropped these, run again with {ALLOW_SHRINK}.")
        problems = _problems_with(staged)
        if problems:
            raise ImportRefused("the new data does not pass validation:\n  " + "\n  ".join(problems))
        for name, tmp in staged.items():
            os.replace(tmp, folder / f"{name}.csv")
        staged.clear()
        return reports
    finally:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)


def write_table(df: pd.DataFrame, name: str, key: list[str], country: str = "iso3",
                allow_shrink: bool = False) -> str:
    """Write data/<name>.csv sorted by key (validated, atomically); return the change report."""
    return write_tables([TableUpdate(df, name, key, country)], allow_shrink)[0]


def run(argv: list[str], usage: str, positional: int, body) -> int:
    """The command line of an importer: ``body(arguments, allow_shrink) -> int``, with any bad
    input reported in one line naming the raw file (the last argument), never a traceback."""
    allow_shrink = ALLOW_SHRINK in argv
    args = [a for a in argv if a != ALLOW_SHRINK]
    if len(args) != positional or any(a.startswith("-") for a in args):
        print(f"usage: {usage} [{ALLOW_SHRINK}]", file=sys.stderr)
        return 2
    raw = Path(args[-1])
    unchanged = f"Nothing in {data.data_dir()} was changed."
    if not raw.exists():
        print(f"{raw}: no such file. {unchanged}", file=sys.stderr)
        return 1
    try:
        return body(args, allow_shrink)
    except ImportRefused as err:
        print(f"{raw}: refused: {err}\n{unchanged}", file=sys.stderr)
    except Exception as err:  # a bad raw file, whatever is wrong with it: one line, no traceback
        detail = " ".join(str(err).split()).rstrip(".") or "no detail"
        print(f"{raw}: cannot import: {type(err).__name__}: {detail}. {unchanged}", file=sys.stderr)
    return 1


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
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, out)


def _script_name(module_path: str) -> str:
    """The scripts/ command that runs an importer module (tipkb/importers/policy.py -> the name
    its wrapper script passes; see scripts/import-*)."""
    import os

    return os.environ.get("KB_IMPORT_SCRIPT", Path(module_path).stem)


SOURCE_DEFAULTS = {"terms": "Cited, not reproduced", "as_of": "", "via_kind": ""}


def sources_with(paths: list[Path]) -> tuple[pd.DataFrame, int]:
    """data/sources.csv with the sources of curated ``*-sources.csv`` files added (new ids only;
    an id already there must describe the same address), and how many were added. The caller
    writes it together with the table that cites them (``write_tables``), so both are validated
    as one."""
    current = pd.read_csv(data.data_dir() / "sources.csv", dtype=str, keep_default_na=False)
    incoming = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False).assign(_file=str(p)) for p in paths],
                         ignore_index=True) if paths else pd.DataFrame(columns=["source_id", "_file"])
    known = dict(zip(current["source_id"], current["url"]))
    rows = []
    for _, r in incoming.iterrows():
        if r["source_id"] in known:
            if known[r["source_id"]] != r.get("url", known[r["source_id"]]):
                raise ValueError(f"{r['_file']}: source {r['source_id']!r} is already in data/sources.csv "
                                 "with another address")
            continue
        row = {col: r.get(col, SOURCE_DEFAULTS.get(col, "")) for col in current.columns}
        if len(row.get("date", "")) == 4:  # a bare year is a year, not a date
            row["year"], row["date"] = row["year"] or row["date"], ""
        if row.get("via") and not row.get("via_kind"):
            row["via_kind"] = "copy"
        rows.append(row)
        known[r["source_id"]] = r.get("url", "")
    merged = pd.concat([current, pd.DataFrame(rows, columns=current.columns)], ignore_index=True) if rows else current
    return merged, len(rows)
