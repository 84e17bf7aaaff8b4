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
