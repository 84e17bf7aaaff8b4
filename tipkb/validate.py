"""Validate data/: the Frictionless schemas (types, constraints, keys) plus the project's rules.

Every problem is reported as ``<file>, row <n>, column "<name>": <rule>: <detail>`` (rows are
data rows, the header not counted), so an editor can go straight to the cell.

Rules beyond Frictionless:
- codebook: every coded value has an English and a Spanish label (fields marked ``x-codebook``);
- every row of every table (except sources and the codebook) names a source;
- a published practice was verified in its source and is not marked ``implied``.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import paths

UNSOURCED = {"sources", "codebook"}

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


def _frictionless_problems(package_path: Path) -> list[Problem]:
    from frictionless import Package

    package = Package(str(package_path))
    report = package.validate()
    problems = []
    for task in report.tasks:
        path = f"data/{Path(task.place).name}" if task.place else task.name
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


def _codebook_problems(data_dir: Path, descriptor: dict) -> list[Problem]:
    codebook = _read(data_dir, "codebook")
    from . import lang as langs

    columns = [f"label_{code}" for code in langs.LANGS]
    labelled = codebook[codebook[columns].apply(lambda col: col.str.strip() != "").all(axis=1)]
    domains: dict[str, set[str]] = labelled.groupby("domain")["code"].agg(set).to_dict()
    countries = set()
    for table in ("countries", "country_names"):
        names = _read(data_dir, table)
        countries |= set(names[(names[[f"name_{code}" for code in langs.LANGS]] != "").all(axis=1)]["iso3"])
    domains["@country"] = countries

    problems = []
    for resource in descriptor["resources"]:
        if resource["name"] not in domains.get("table", set()):
            # The data chapter lists every table under its name in the reader's language.
            problems.append(Problem("data/datapackage.json", None, "resources", "label-in-codebook",
                                    f"table {resource['name']!r} has no English and Spanish label in codebook "
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
                            f"data/{resource['path']}", i, field["name"], "label-in-codebook",
                            f"{value!r} has no English and Spanish label in codebook domain "
                            f"{field['x-codebook']!r} (data/codebook.csv)"))
    return problems


def _source_problems(descriptor: dict) -> list[Problem]:
    """Each table (but sources and codebook) must declare a required source_id."""
    problems = []
    for resource in descriptor["resources"]:
        if resource["name"] in UNSOURCED:
            continue
        fields = {f["name"]: f for f in resource["schema"]["fields"]}
        field = fields.get("source_id")
        if not field or not field.get("constraints", {}).get("required"):
            problems.append(Problem(f"data/{resource['path']}", None, "source_id", "row-has-source",
                                    "the table must have a required source_id column"))
    return problems


def _practice_problems(data_dir: Path) -> list[Problem]:
    practices = _read(data_dir, "practices")
    problems = []
    for i, row in enumerate(practices.itertuples(index=False), start=1):
        if row.status != "published":
            continue
        if row.confidence != "stated":
            problems.append(Problem("data/practices.csv", i, "confidence", "published-practice-is-stated",
                                    f"{row.practice_id} is published but marked {row.confidence!r}"))
        if not row.verified:
            problems.append(Problem("data/practices.csv", i, "verified", "published-practice-is-verified",
                                    f"{row.practice_id} is published without a verification date"))
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
    import json

    package_path = data_dir / "datapackage.json"
    descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    problems = _source_problems(descriptor) + _frictionless_problems(package_path)
    problems += _codebook_problems(data_dir, descriptor) + _practice_problems(data_dir)
    problems += _translation_problems(data_dir)
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
    if problems:
        print(f"{len(problems)} problem(s) in {data_dir}: nothing was built.", file=sys.stderr)
        return 1
    print(f"{data_dir}: all tables valid.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
