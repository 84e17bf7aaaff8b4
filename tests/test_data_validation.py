"""./scripts/validate names file, row, column and rule for each kind of bad input."""
from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from tipkb import validate

ROOT = Path(__file__).resolve().parents[1]


def read_rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def edit_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; ``row`` counts data rows from 1, as the validator reports them."""
    rows = read_rows(path)
    rows[row - 1][column] = value
    write_rows(path, list(rows[0].keys()), rows)


def write_rows(path: Path, fields, rows) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def problems_for(data_dir: Path) -> list[str]:
    return [str(p) for p in validate.validate(data_dir)]


def test_real_data_is_valid():
    assert validate.validate(ROOT / "data") == []


@pytest.mark.parametrize("column,value,rule", [
    ("iso3", "XXX", "known-country-code"),
    ("year", "1850", "year-in-range"),
    ("value", "-3", "count-or-suppressed"),
    ("value", "3.5", "count-or-suppressed"),
    ("value", "<6", "count-or-suppressed"),
    ("source_id", "", "row-has-source"),
    ("source_id", "no-such-source", "source-exists"),
])
def test_bad_glotip_cell_is_named(data_copy, column, value, rule):
    edit_cell(data_copy / "glotip.csv", 7, column, value)
    found = problems_for(data_copy)
    expected = f'data/glotip.csv, row 7, column "{column}": {rule}'
    assert any(p.startswith(expected) for p in found), found


def test_duplicate_key_is_named(data_copy):
    path = data_copy / "glotip.csv"
    rows = read_rows(path)
    rows.append(dict(rows[2]))
    write_rows(path, list(rows[0].keys()), rows)
    found = problems_for(data_copy)
    assert any(p.startswith(f"data/glotip.csv, row {len(rows)}: unique-key: same key as row 3") for p in found), found


def test_label_missing_from_codebook_in_one_language(data_copy):
    path = data_copy / "codebook.csv"
    rows = read_rows(path)
    for row in rows:
        if (row["domain"], row["code"]) == ("tier", "tier3"):
            row["label_es"] = ""
    write_rows(path, list(rows[0].keys()), rows)
    found = problems_for(data_copy)
    assert any('data/tip_tiers.csv' in p and 'column "tier": label-in-codebook' in p and "'tier3'" in p
               for p in found), found


def test_table_without_a_name_in_the_codebook(data_copy):
    path = data_copy / "codebook.csv"
    rows = [r for r in read_rows(path) if (r["domain"], r["code"]) != ("table", "palermo")]
    write_rows(path, list(rows[0].keys()), rows)
    found = problems_for(data_copy)
    assert any(p.startswith('data/datapackage.json, column "resources": label-in-codebook: table \'palermo\'')
               for p in found), found


def test_tier_change_must_refer_to_a_published_placement(data_copy):
    path = data_copy / "tip_tier_changes.csv"
    rows = read_rows(path)
    rows.append(dict(rows[0], iso3="USA"))  # the US was not ranked in 2003
    write_rows(path, list(rows[0].keys()), rows)
    found = problems_for(data_copy)
    assert any(p.startswith(f"data/tip_tier_changes.csv, row {len(rows)}") and "foreign-key" in p
               for p in found), found


def test_code_unknown_to_codebook(data_copy):
    edit_cell(data_copy / "oas_programmes.csv", 1, "status", "rumoured")
    found = problems_for(data_copy)
    assert any(p.startswith('data/oas_programmes.csv, row 1, column "status": label-in-codebook') for p in found), found


def test_published_practice_must_be_verified_and_stated(data_copy):
    path = data_copy / "practices.csv"
    rows = read_rows(path)
    i = next(n for n, r in enumerate(rows, start=1) if r["status"] == "published")
    edit_cell(path, i, "verified", "")
    edit_cell(path, i, "confidence", "implied")
    found = problems_for(data_copy)
    assert any(p.startswith(f'data/practices.csv, row {i}, column "verified": published-practice-is-verified') for p in found)
    assert any(p.startswith(f'data/practices.csv, row {i}, column "confidence": published-practice-is-stated') for p in found)


def test_questionnaire_replies_schema_accepts_a_reply_and_rejects_a_bad_one(data_copy):
    path = data_copy / "questionnaire_replies.csv"
    fields = ["reply_id", "iso3", "area", "practice", "description_en", "description_es", "source_id"]
    good = {"reply_id": "r1", "iso3": "JAM", "area": "laws", "practice": "x", "description_en": "x",
            "description_es": "x", "source_id": "oas-2012-report"}
    write_rows(path, fields, [good])
    assert problems_for(data_copy) == []
    write_rows(path, fields, [dict(good, area="wishes", description_es="")])
    found = problems_for(data_copy)
    assert any('questionnaire_replies.csv, row 1, column "area": label-in-codebook' in p for p in found), found
    assert any('questionnaire_replies.csv, row 1, column "description_es"' in p for p in found), found


def test_validate_script_exits_non_zero_and_says_nothing_was_built(data_copy):
    edit_cell(data_copy / "policy_3p.csv", 2, "prevention", "9")
    result = subprocess.run([sys.executable, "-m", "tipkb.validate", str(data_copy)], capture_output=True, text=True)
    assert result.returncode == 1
    assert 'data/policy_3p.csv, row 2, column "prevention"' in result.stderr
    assert "nothing was built" in result.stderr


# A broken file is reported, in one line per problem naming file, row and rule: never a traceback -----

def run_validator(data_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tipkb.validate", str(data_dir)], capture_output=True, text=True)


def first_non_ascii_line(path: Path) -> int:
    return next(i for i, line in enumerate(path.read_bytes().splitlines(), start=1) if any(b > 127 for b in line))


def drop_column(path: Path, column: str) -> None:
    rows = read_rows(path)
    fields = [f for f in rows[0] if f != column]
    write_rows(path, fields, [{k: v for k, v in r.items() if k != column} for r in rows])


def open_a_quote(path: Path, row: int) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[row] = '"' + lines[row]  # row counts data rows; lines[0] is the header
    path.write_text("\n".join(lines), encoding="utf-8")


BROKEN = {
    "deleted column": (lambda d: drop_column(d / "glotip.csv", "value"), "glotip.csv", None, '"value"'),
    "renamed header": (lambda d: (d / "glotip.csv").write_text(
        (d / "glotip.csv").read_text(encoding="utf-8").replace("category_raw", "category_text", 1), encoding="utf-8"),
        "glotip.csv", None, '"category_raw"'),
    "empty file": (lambda d: (d / "palermo.csv").write_bytes(b""), "palermo.csv", None, "empty"),
    "Latin-1": (lambda d: (d / "countries.csv").write_bytes((d / "countries.csv").read_text(encoding="utf-8")
                                                            .encode("latin-1")), "countries.csv", "latin1-row", "UTF-8"),
    "semicolons": (lambda d: (d / "tip_tiers.csv").write_text(
        (d / "tip_tiers.csv").read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8"), "tip_tiers.csv", None, "';'"),
    "truncated datapackage.json": (lambda d: (d / "datapackage.json").write_bytes(
        (d / "datapackage.json").read_bytes()[:5000]), "datapackage.json", None, "line "),
    "unbalanced quote": (lambda d: open_a_quote(d / "practices.csv", 5), "practices.csv", 5, "quote"),
    "header only": (lambda d: (d / "palermo.csv").write_text(
        (d / "palermo.csv").read_text(encoding="utf-8").split("\n")[0] + "\n", encoding="utf-8"), "palermo.csv", None, "0 data row"),
    "missing file": (lambda d: (d / "oas_timeline.csv").unlink(), "oas_timeline.csv", None, "missing"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_file_is_reported_in_one_line_not_a_traceback(data_copy, case):
    """Issue 14, defect 5."""
    breakage, file, row, words = BROKEN[case]
    if row == "latin1-row":
        row = first_non_ascii_line(data_copy / "countries.csv") - 1
    breakage(data_copy)
    result = run_validator(data_copy)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    where = f"data/{file}" + (f", row {row}" if row else "")
    named = [line for line in result.stderr.splitlines() if line.startswith(where)]
    assert named and any(words in line for line in named), result.stderr
    assert len(result.stderr.splitlines()) <= 5, result.stderr  # the problem, not a cascade


def codebook_row(data_dir: Path, domain: str, code: str) -> int:
    return next(i for i, r in enumerate(read_rows(data_dir / "codebook.csv"), start=1)
                if (r["domain"], r["code"]) == (domain, code))


def test_a_placeholder_missing_from_a_translation_is_named(data_copy):
    """Issue 14, defect 5: {country} in English, {pais} in Spanish."""
    row = codebook_row(data_copy, "ui", "nationals_of")
    edit_cell(data_copy / "codebook.csv", row, "label_es", "Nacionales de {pais}")
    found = problems_for(data_copy)
    assert any(p.startswith(f'data/codebook.csv, row {row}, column "label_es"') and "{pais}" in p for p in found), found


@pytest.mark.parametrize("label", ["Table <img src=x onerror=alert(1)>", "Table {download}`x.csv`",
                                   "Table [here](https://evil.example/)", "Table\n:::{note}\nx\n:::",
                                   "Table {{ config }}"])
def test_markup_in_interface_text_is_refused(data_copy, label):
    """Issue 14, defect 3: codebook labels are plain text."""
    row = codebook_row(data_copy, "ui", "col_table")
    edit_cell(data_copy / "codebook.csv", row, "label_en", label)
    found = problems_for(data_copy)
    assert any(p.startswith(f'data/codebook.csv, row {row}, column "label_en"') for p in found), found
