"""Read the validated tables in data/, and record what each page reads.

Pages never open CSV files themselves: they call :func:`table`. Each call notes the table, the
filter and a hash of the rows returned, so the build can key a page's cached outputs on the data
it actually read (see tipkb.build.execute): change one value for one country and only the pages
that read that country's rows run again.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd

from . import paths

DATA_DIR_ENV = "TIPKB_DATA"  # tests point the whole book at a copy of data/

# Reads recorded since begin_recording(): (table, filters as JSON) -> sha256 of the rows.
_reads: dict[tuple[str, str], str] = {}
# Tables read since begin_recording(): name -> content hash of the version read.
_tables: dict[str, str | None] = {}


def data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV, paths.DATA))


@lru_cache(maxsize=1)
def package() -> dict:
    return json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))


def _dtypes(name: str) -> dict[str, str]:
    for resource in package()["resources"]:
        if resource["name"] == name:
            kinds = {"integer": "Int64", "number": "Float64"}
            return {f["name"]: kinds.get(f["type"], "string") for f in resource["schema"]["fields"]}
    raise KeyError(f"no table {name!r} in data/datapackage.json")


def table_columns(name: str) -> list[str]:
    """The columns of a table, from its schema."""
    return list(_dtypes(name))


def _content_hash(name: str, raw: bytes) -> str:
    """The table's bytes and its schema: equal hashes mean every read of it returns the same rows."""
    schema = json.dumps(_dtypes(name), sort_keys=True).encode()
    return hashlib.sha256(schema + b"\0" + raw).hexdigest()


@cache
def _loaded(name: str, mtime_ns: int) -> tuple[pd.DataFrame, str]:
    raw = (data_dir() / f"{name}.csv").read_bytes()
    frame = pd.read_csv(io.BytesIO(raw), dtype=_dtypes(name), keep_default_na=False, na_values={
        col: [""] for col, kind in _dtypes(name).items() if kind != "string"})
    return frame, _content_hash(name, raw)


def _load(name: str, mtime_ns: int) -> pd.DataFrame:
    frame, sha = _loaded(name, mtime_ns)
    # The version of the table this page read; None if it read two (the file changed meanwhile).
    _tables[name] = sha if _tables.get(name, sha) == sha else None
    return frame


def _whole(name: str) -> pd.DataFrame:
    path = data_dir() / f"{name}.csv"
    return _load(name, path.stat().st_mtime_ns)


@lru_cache(maxsize=256)
def _file_hash(name: str, mtime_ns: int, size: int) -> str:
    return _content_hash(name, (data_dir() / f"{name}.csv").read_bytes())


def file_hash(name: str) -> str:
    """The table's content hash now (used by the build: an unchanged table needs no slice hashes)."""
    stat = (data_dir() / f"{name}.csv").stat()
    return _file_hash(name, stat.st_mtime_ns, stat.st_size)


def select(frame: pd.DataFrame, filters: dict) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for column, wanted in filters.items():
        values = wanted if isinstance(wanted, (list, tuple, set, frozenset)) else [wanted]
        mask &= frame[column].isin(list(values))
    return frame[mask]


def rows_hash(frame: pd.DataFrame) -> str:
    return hashlib.sha256(frame.to_csv(index=False, lineterminator="\n").encode("utf-8")).hexdigest()


def filters_key(filters: dict) -> str:
    norm = {k: (list(v) if k == COLUMNS else sorted(v)) if isinstance(v, (list, tuple, set, frozenset)) else v
            for k, v in filters.items()}  # ROWS is a dict: kept as given (its values arrive sorted)
    return json.dumps(norm, sort_keys=True, default=str)


COLUMNS = "__columns__"  # key under which a projection is recorded with a read's filters
ROWS = "__rows__"        # keyed reads: {"key": [columns], "values": [[...], ...]} (see note_entry)


def _project(frame: pd.DataFrame, key: dict) -> pd.DataFrame:
    filters = dict(key)
    columns = filters.pop(COLUMNS, None)
    keyed = filters.pop(ROWS, None)
    rows = select(frame, filters)
    if keyed:
        index = pd.MultiIndex.from_frame(rows[keyed["key"]].astype(str))
        rows = rows[index.isin([tuple(v) for v in keyed["values"]])]
    rows = rows.reset_index(drop=True)
    return rows[list(columns)] if columns else rows


@lru_cache(maxsize=4096)
def _selected(name: str, key: str, mtime_ns: int) -> tuple[pd.DataFrame, str]:
    rows = _project(_loaded(name, mtime_ns)[0], json.loads(key))
    return rows, rows_hash(rows)


def shared(name: str, columns: list[str] | None = None, **filters) -> tuple[pd.DataFrame, str]:
    """Like :func:`table` but returns the cached frame itself (do not modify it) and its hash."""
    key = filters_key({**filters, **({COLUMNS: list(columns)} if columns else {})})
    mtime_ns = (data_dir() / f"{name}.csv").stat().st_mtime_ns
    _load(name, mtime_ns)
    rows, sha = _selected(name, key, mtime_ns)
    _reads[(name, key)] = sha
    return rows, sha


def table(name: str, columns: list[str] | None = None, **filters) -> pd.DataFrame:
    """Rows of data/<name>.csv matching ``column=value`` (or ``column=[values]``) filters.

    ``columns`` keeps only those columns; a page that reads only, say, which years have data is
    then not re-executed when a value changes."""
    return shared(name, columns, **filters)[0].copy()


def slice_hash(name: str, filters_json: str) -> str:
    """Hash of what :func:`table` would return now for a recorded read (used by the build)."""
    return rows_hash(_project(_whole(name), json.loads(filters_json)))


def whole(name: str) -> pd.DataFrame:
    """The whole table, not recorded: for look-ups that record what they use with note_entry."""
    return _whole(name)


# Keyed reads: (table, key columns, value columns) -> the key values a page used. A page that
# shows 40 labels of the codebook in Spanish records those 40 entries' Spanish column, so an
# edit to another label, or to an English label, does not make it run again.
_entries: dict[tuple[str, tuple[str, ...], tuple[str, ...]], set[tuple[str, ...]]] = {}


def note_entry(name: str, key: tuple[str, ...], values: tuple[str, ...], columns: tuple[str, ...]) -> None:
    _entries.setdefault((name, key, columns), set()).add(values)


def _entry_reads() -> dict[tuple[str, str], str]:
    reads = {}
    for (name, key, columns), values in _entries.items():
        filters = filters_key({ROWS: {"key": list(key), "values": sorted(list(v) for v in values)},
                               COLUMNS: list(key) + [c for c in columns if c not in key]})
        reads[(name, filters)] = slice_hash(name, filters)
    return reads


def begin_recording() -> None:
    _reads.clear()
    _entries.clear()
    _tables.clear()


def recorded_reads() -> list[dict]:
    reads = {**_reads, **_entry_reads()}
    return [{"table": t, "filters": f, "sha256": h, "table_sha256": _tables.get(t)}
            for (t, f), h in sorted(reads.items())]


def changed_read(reads: list[dict]) -> str | None:
    """The first of these recorded reads that would return other rows now ("<table> <filters>"),
    or None if none would. A table whose file has the content it had then needs no slice hash."""
    for read in reads:
        try:
            if read.get("table_sha256") and read["table_sha256"] == file_hash(read["table"]):
                continue
            if slice_hash(read["table"], read["filters"]) != read["sha256"]:
                return f"{read['table']} {read['filters']}"
        except (FileNotFoundError, KeyError):
            return f"{read['table']} no longer readable"
    return None
