"""Validate data/: the Frictionless schemas (types, constraints, keys) plus the project's rules.

Every problem is reported as ``<file>, row <n>, column "<name>": <rule>: <detail>`` (rows are
data rows, the header not counted), so an editor can go straight to the cell. The validator
reports; it does not crash: whatever the files hold, the answer is a list of such lines.

First the structure, file by file (a table whose structure is wrong cannot be checked further):
``datapackage.json`` readable and well formed; each table present, not empty, UTF-8, comma-
separated, its header the schema's columns in order, every quote closed, every row as long as the
header, at least ``x-min-rows`` data rows (declared per table in datapackage.json; 1 if not).

Then the contents. Rules beyond Frictionless:
- codebook: every coded value has a label in every language (fields marked ``x-codebook``);
  labels are plain text (no HTML, MyST roles or directives, links or substitutions: they are
  interface text, shown on every page) and have the same ``{placeholders}`` in every language;
- every row of every table (except sources and the codebook) names a source;
- a published practice was verified in its source and is not marked ``implied``.
"""
from __future__ import annotations

import csv
import io
import json
import re
import string
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import lang as langs
from . import myst, paths

UNSOURCED = {"sources", "codebook", "search_synonyms"}  # the project's own tables, not facts

# Friendlier names for the schema constraints readers of the errors will meet most.
RULE_NAMES = {
    ("value", "pattern"): "count-or-suppressed (a whole number of 0 or more, or <5)",
    ("iso3", "pattern"): "country-code (ISO 3166-1 alpha-3)",
    ("year", "minimum"): "year-in-range",
    ("year", "maximum"): "year-in-range",
    ("source_id", "required"): "row-has-source",
}


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    rule: str
    detail: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f', column "{self.column}"'
        return f"{where}: {self.rule}: {self.detail}"


# Rules of the structural pass: while any of them fails, the contents are not checked.
STRUCTURAL = {"file-exists", "empty-file", "encoding", "valid-json", "datapackage-structure", "delimiter",
              "header-matches-schema", "csv-syntax", "field-count", "blank-row"}
DEFAULT_MIN_ROWS = 1


def _shown(data_dir: Path, name: str) -> str:
    return f"{data_dir.name}/{name}"


def _read_descriptor(data_dir: Path) -> tuple[dict | None, list[Problem]]:
    where = _shown(data_dir, "datapackage.json")
    path = data_dir / "datapackage.json"
    if not data_dir.is_dir():
        return None, [Problem(str(data_dir), None, None, "file-exists", "no such folder")]
    if not path.is_file():
        return None, [Problem(where, None, None, "file-exists", f"no datapackage.json in {data_dir}")]
    try:
        descriptor = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as err:
        return None, [Problem(where, None, None, "encoding", f"byte {err.object[err.start]:#04x} at offset {err.start} is not UTF-8")]
    except json.JSONDecodeError as err:
        return None, [Problem(where, None, None, "valid-json", f"line {err.lineno}, column {err.colno}: {err.msg}")]
    problems = []

    def bad(detail: str) -> None:
        problems.append(Problem(where, None, None, "datapackage-structure", detail))

    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list) or not resources:
        bad("no list of resources")
        return None, problems
    for i, resource in enumerate(resources, start=1):
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str) \
                or not isinstance(resource.get("path"), str):
            bad(f"resource {i} has no name and path")
            continue
        fields = (resource.get("schema") or {}).get("fields") if isinstance(resource.get("schema"), dict) else None
        if not isinstance(fields, list) or not fields or not all(isinstance(f, dict) and isinstance(f.get("name"), str)
                                                                  for f in fields):
            bad(f"resource {resource['name']!r} has no schema with named fields")
        floor = resource.get("x-min-rows", DEFAULT_MIN_ROWS)
        if not isinstance(floor, int) or isinstance(floor, bool) or floor < 0:
            bad(f"resource {resource['name']!r}: x-min-rows must be a whole number of 0 or more, not {floor!r}")
    return (descriptor if not problems else None), problems


def _encoding_problem(shown: str, raw: bytes, err: UnicodeDecodeError) -> Problem:
    line = raw[:err.start].count(b"\n") + 1
    try:
        raw.decode("cp1252")
        hint = "; it reads as Latin-1/Windows-1252: save the file as UTF-8"
    except UnicodeDecodeError:
        hint = "; save the file as UTF-8"
    where = "in the header" if line == 1 else f"on line {line}"
    return Problem(shown, line - 1 if line > 1 else None, None, "encoding",
                   f"byte {raw[err.start]:#04x} {where} is not UTF-8{hint}")


def _table_structure(data_dir: Path, resource: dict) -> list[Problem]:
    """Structural problems of one table (the first that stops reading it, or all header ones)."""
    shown = _shown(data_dir, resource["path"])
    path = data_dir / resource["path"]
    if not path.is_file():
        return [Problem(shown, None, None, "file-exists", "the table is missing (datapackage.json lists it)")]
    raw = path.read_bytes()
    if not raw.strip():
        return [Problem(shown, None, None, "empty-file", "the file is empty: not even a header")]
    if raw.startswith(b"\xef\xbb\xbf"):
        return [Problem(shown, None, None, "encoding", "the file starts with a byte-order mark: save it as UTF-8 without BOM")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return [_encoding_problem(shown, raw, err)]
    expected = [f["name"] for f in resource["schema"]["fields"]]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as err:
        return [Problem(shown, None, None, "csv-syntax", f"header: {err}")]
    if len(header) == 1 and len(expected) > 1:
        used = next((d for d in (";", "\t", "|") if d in header[0]), None)
        if used:
            return [Problem(shown, None, None, "delimiter",
                            f"the header is one column: the file seems to use {used!r} between columns; tables use ','")]
    problems = []
    if header != expected:
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        for column in missing:
            guess = f" (renamed to {extra[0]!r}?)" if len(missing) == 1 and len(extra) == 1 else ""
            problems.append(Problem(shown, None, column, "header-matches-schema", f"column missing from the header{guess}"))
        for column in extra:
            problems.append(Problem(shown, None, column, "header-matches-schema", "column not in the schema"))
        for column, n in Counter(header).items():
            if n > 1:
                problems.append(Problem(shown, None, column, "header-matches-schema", f"column appears {n} times"))
        if not problems:
            problems.append(Problem(shown, None, None, "header-matches-schema",
                                    f"columns out of order: the schema has {', '.join(expected)}"))
        return problems
    rows = 0
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            detail = (f"a quote opened in this row is never closed ({err})" if "end of data" in str(err)
                      else f"{err} (a quote in the middle of a cell must be doubled)")
            return [Problem(shown, rows + 1, None, "csv-syntax", detail + f"; line {start} of the file")]
        rows += 1
        if not row:
            problems.append(Problem(shown, rows, None, "blank-row", f"line {start} is empty"))
        elif len(row) != len(header):
            problems.append(Problem(shown, rows, None, "field-count",
                                    f"{len(row)} values, the header has {len(header)} columns (line {start})"))
        start = reader.line_num + 1
    floor = resource.get("x-min-rows", DEFAULT_MIN_ROWS)
    if rows < floor:
        problems.append(Problem(shown, None, None, "row-count",
                                f"{rows} data row(s); at least {floor} expected (x-min-rows in datapackage.json)"))
    return problems


def _frictionless_problems(package_path: Path) -> list[Problem]:
    from frictionless import Package

    package = Package(str(package_path))
    report = package.validate()
    problems = []
    for task in report.tasks:
        path = _shown(package_path.parent, Path(task.place).name) if task.place else task.name
        for err in task.errors:
            row = getattr(err, "row_number", None)
            row = row - 1 if row else None  # Frictionless counts the header as row 1
            column = getattr(err, "field_name", None)
            cell = getattr(err, "cell", None)
            if err.type == "constraint-error":
                constraint = err.note.split('"')[1] if '"' in err.note else err.note
                rule = RULE_NAMES.get((column, constraint), f"{constraint} constraint")
                problems.append(Problem(path, row, column, rule, f"{cell!r} ({err.note})"))
            elif err.type == "foreign-key":
                fields = err.note.split('"')[1] if '"' in err.note else ""
                rule = {"iso3": "known-country-code", "source_id": "source-exists"}.get(fields, "foreign-key")
                problems.append(Problem(path, row, fields or None, rule, err.note))
            elif err.type == "primary-key":
                first = re.search(r'position "?(\d+)', err.note)
                detail = f"same key as row {int(first.group(1)) - 1}" if first else err.note
                problems.append(Problem(path, row, None, "unique-key", detail))
            else:
                problems.append(Problem(path, row, column, err.type, err.message))
    return problems


def _read(data_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(data_dir / f"{name}.csv", dtype=str, keep_default_na=False)


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _label_problems(codebook: pd.DataFrame, shown: str) -> list[Problem]:
    """Labels are plain text with the same {placeholders} in every language."""
    problems = []
    columns = [f"label_{lang}" for lang in langs.LANGS]
    for i, row in enumerate(codebook.itertuples(index=False), start=1):
        found = {}
        for column in columns:
            value = getattr(row, column)
            for kind, token in myst.markup_in(value):
                problems.append(Problem(shown, i, column, "label-is-plain-text",
                                        f"{row.domain}/{row.code}: {kind} {token!r}; interface text cannot carry markup"))
            try:
                found[column] = _placeholders(value)
            except ValueError as err:
                problems.append(Problem(shown, i, column, "placeholder-syntax",
                                        f"{row.domain}/{row.code}: {err} (a literal brace is written {{{{ or }}}})"))
        source = f"label_{langs.DEFAULT}"
        for column in columns:
            if source in found and column in found and found[column] != found[source]:
                show = lambda names: ", ".join("{" + n + "}" for n in sorted(names)) or "none"
                problems.append(Problem(shown, i, column, "placeholders-match",
                                        f"{row.domain}/{row.code}: placeholders {show(found[column])}, "
                                        f"{source} has {show(found[source])}"))
    return problems


def _codebook_problems(data_dir: Path, descriptor: dict) -> list[Problem]:
    codebook = _read(data_dir, "codebook")
    columns = [f"label_{lang}" for lang in langs.LANGS]
    labelled = codebook[(codebook[columns].apply(lambda col: col.str.strip() != "")).all(axis=1)]
    domains: dict[str, set[str]] = labelled.groupby("domain")["code"].agg(set).to_dict()
    countries = set()
    for table in ("countries", "country_names"):
        names = _read(data_dir, table)
        named = (names[[f"name_{lang}" for lang in langs.LANGS]] != "").all(axis=1)
        countries |= set(names[named]["iso3"])
    domains["@country"] = countries

    problems = _label_problems(codebook, _shown(data_dir, "codebook.csv"))
    for resource in descriptor["resources"]:
        if resource["name"] not in domains.get("table", set()):
            # The data chapter lists every table under its name in the reader's language.
            problems.append(Problem(_shown(data_dir, "datapackage.json"), None, "resources", "label-in-codebook",
                                    f"table {resource['name']!r} has no label in every language in codebook "
                                    f"domain 'table' (data/codebook.csv)"))
        coded = [f for f in resource["schema"]["fields"] if "x-codebook" in f]
        if not coded:
            continue
        table = _read(data_dir, resource["name"])
        for field in coded:
            allowed = set().union(*(domains.get(d, set()) for d in field["x-codebook"].split("|")))
            separator = field.get("x-separator")
            for i, cell in enumerate(table[field["name"]], start=1):
                values = [v.strip() for v in cell.split(separator)] if separator else [cell]
                for value in values:
                    if value and value not in allowed:
                        problems.append(Problem(
                            _shown(data_dir, resource["path"]), i, field["name"], "label-in-codebook",
                            f"{value!r} has no English and Spanish label in codebook domain "
                            f"{field['x-codebook']!r} (data/codebook.csv)"))
    return problems


def _source_problems(data_dir: Path, descriptor: dict) -> list[Problem]:
    """Each table (but sources and codebook) must declare a required source_id."""
    problems = []
    for resource in descriptor["resources"]:
        if resource["name"] in UNSOURCED:
            continue
        fields = {f["name"]: f for f in resource["schema"]["fields"]}
        field = fields.get("source_id")
        if not field or not field.get("constraints", {}).get("required"):
            problems.append(Problem(_shown(data_dir, resource["path"]), None, "source_id", "row-has-source",
                                    "the table must have a required source_id column"))
    return problems


def _practice_problems(data_dir: Path) -> list[Problem]:
    practices = _read(data_dir, "practices")
    problems = []
    for i, row in enumerate(practices.itertuples(index=False), start=1):
        if row.status != "published":
            continue
        if row.confidence != "stated":
            problems.append(Problem(_shown(data_dir, "practices.csv"), i, "confidence", "published-practice-is-stated",
                                    f"{row.practice_id} is published but marked {row.confidence!r}"))
        if not row.verified:
            problems.append(Problem(_shown(data_dir, "practices.csv"), i, "verified", "published-practice-is-verified",
                                    f"{row.practice_id} is published without a verification date"))
    return problems


def _synonym_problems(data_dir: Path) -> list[Problem]:
    """Search synonyms are for the site's languages, and a group says something only with two terms
    (in any of the languages: readers type the other language's words too)."""
    path = data_dir / "search_synonyms.csv"
    if not path.exists():
        return []
    synonyms = _read(data_dir, "search_synonyms")
    shown = _shown(data_dir, "search_synonyms.csv")
    problems = [Problem(shown, i, "lang", "site-language", f"{row.lang!r} is not a language of the site "
                        f"({', '.join(langs.LANGS)})")
                for i, row in enumerate(synonyms.itertuples(index=False), start=1) if row.lang not in langs.LANGS]
    sizes = synonyms[synonyms["iso3"] == ""].groupby("group").size()
    for group in sizes[sizes < 2].index:  # a state's extra names go with its names in countries.csv
        row = int(synonyms.index[synonyms["group"] == group][0]) + 1
        problems.append(Problem(shown, row, "group", "synonyms-in-pairs",
                                f"group {group!r} has one term: nothing to be equivalent to"))
    return problems


def _translation_problems(data_dir: Path) -> list[Problem]:
    """A translated label whose recorded English hash differs from its English is stale."""
    import hashlib

    from . import lang as langs

    codebook = _read(data_dir, "codebook")
    problems = []
    for lang in langs.translations():
        column = f"source_hash_{lang}"
        if column not in codebook:
            problems.append(Problem("data/codebook.csv", None, column, "translation-up-to-date",
                                    f"no {column} column: run ./scripts/translations --stamp {lang} after review"))
            continue
        for i, row in enumerate(codebook.itertuples(index=False), start=1):
            if getattr(row, column) != hashlib.sha1(row.label_en.encode("utf-8")).hexdigest()[:8]:
                problems.append(Problem("data/codebook.csv", i, f"label_{lang}", "translation-up-to-date",
                                        f"{row.domain}/{row.code}: the English label changed after this translation; "
                                        f"review it, then ./scripts/translations --stamp {lang} {row.domain}/{row.code}"))
    return problems


def validate(data_dir: Path = paths.DATA) -> list[Problem]:
    """Every problem of the data package in ``data_dir``; never raises."""
    data_dir = Path(data_dir)
    try:
        return _validate(data_dir)
    except Exception as err:  # a bug here must still come out as one line, not a traceback
        return [Problem(_shown(data_dir, "datapackage.json"), None, None, "validator-error",
                        f"{type(err).__name__}: {err} (the validator could not finish: please report this)")]


def _validate(data_dir: Path) -> list[Problem]:
    descriptor, problems = _read_descriptor(data_dir)
    if descriptor is None:
        return problems
    for resource in descriptor["resources"]:
        problems += _table_structure(data_dir, resource)
    if any(p.rule in STRUCTURAL for p in problems):
        return problems  # the contents are checked once every table can be read
    problems += _source_problems(data_dir, descriptor) + _frictionless_problems(data_dir / "datapackage.json")
    problems += _codebook_problems(data_dir, descriptor) + _practice_problems(data_dir)
    problems += _translation_problems(data_dir) + _synonym_problems(data_dir)
    return problems


def report(problems: list[Problem], per_kind: int = 5) -> list[str]:
    """Problem lines, at most ``per_kind`` for one file, column and rule (then a count)."""
    shown: Counter = Counter()
    lines = []
    for problem in problems:
        kind = (problem.file, problem.column, problem.rule)
        shown[kind] += 1
        if shown[kind] <= per_kind:
            lines.append(str(problem))
    for (file, column, rule), n in shown.items():
        if n > per_kind:
            lines.append(f'{file}, column "{column}": {rule}: {n - per_kind} more row(s) with this problem')
    return lines


def main(argv: list[str]) -> int:
    data_dir = Path(argv[0]) if argv else paths.DATA
    problems = validate(data_dir)
    for line in report(problems):
        print(line, file=sys.stderr)
    if any(p.rule in STRUCTURAL for p in problems):
        print("The tables' contents are checked once every table can be read.", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {data_dir}: nothing was built.", file=sys.stderr)
        return 1
    print(f"{data_dir}: all tables valid.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
