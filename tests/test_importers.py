"""Import scripts: faithful conversion, deterministic output, per-country change report.

Raw inputs are small synthetic files in the sources' own layouts (the real raw files live
outside the project)."""
from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from tipkb.importers import glotip, policy

HEADER = ["Iso3_code", "Country", "Region", "Subregion", "Indicator", "Dimension", "Category", "Sex", "Age",
          "Year", "Unit of measurement", "txtVALUE", "Source"]


def glotip_row(iso, dim, cat, year, value, indicator="Detected trafficking victims", sex="Total", age="Total"):
    return [iso, iso, "Americas", "x", indicator, dim, cat, sex, age, str(year), "Counts", value, "GLOTIP"]


def write_xlsx(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["UNODC"])
    sheet.append(["14/04/2025"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)


RAW_ROWS = [
    glotip_row("ARG", "Total", "Total", 2018, "1,757"),
    glotip_row("ARG", "Total", "Total", 2019, "<5"),
    glotip_row("ARG", "by citizenship", "Bolivia (Plurinational State of)", 2018, "531"),
    glotip_row("ARG", "by citizenship", "Ciudadanos de su pa\ufffds", 2018, "12"),
    glotip_row("ARG", "by form of exploitation", "Other forms of exploitation", 2019, "96"),
    glotip_row("ARG", "by form of exploitation", "Other forms of exploitation", 2019, "<5"),
    glotip_row("FRA", "Total", "Total", 2018, "100"),
]


@pytest.fixture
def env_data(data_copy, monkeypatch):
    monkeypatch.setenv("TIPKB_DATA", str(data_copy))
    return data_copy


def test_glotip_keeps_counts_and_suppression_as_given(tmp_path, env_data):
    xlsx = tmp_path / "raw.xlsx"
    write_xlsx(xlsx, RAW_ROWS)
    raw, date = glotip.read_raw(xlsx)
    table = glotip.convert(raw, {"ARG"})
    assert date == "14/04/2025"
    assert set(table["iso3"]) == {"ARG"}  # non-members dropped
    totals = table[table["dimension"] == "total"].set_index("year")["value"]
    assert totals[2018] == "1757" and totals[2019] == "<5"
    cit = table[table["dimension"] == "citizenship"].set_index("category_raw")["category"]
    assert cit["Bolivia (Plurinational State of)"] == "BOL"
    assert cit["Ciudadanos de su pa\ufffds"] == "nationals"
    other = table[table["category"] == "other_forms"]
    assert list(other["seq"]) == [1, 2] and list(other["value"]) == ["96", "<5"]


def test_glotip_rejects_an_unknown_category_naming_row_and_text(tmp_path, env_data):
    xlsx = tmp_path / "raw.xlsx"
    write_xlsx(xlsx, RAW_ROWS + [glotip_row("ARG", "by citizenship", "Atlantis", 2018, "3")])
    raw, _ = glotip.read_raw(xlsx)
    with pytest.raises(glotip.ImportError_, match=r"'Atlantis' \(first at row 11\)"):
        glotip.convert(raw, {"ARG"})


def test_glotip_rejects_a_value_that_is_not_a_count(tmp_path, env_data):
    xlsx = tmp_path / "raw.xlsx"
    write_xlsx(xlsx, RAW_ROWS + [glotip_row("ARG", "Total", "Total", 2020, "n/a")])
    raw, _ = glotip.read_raw(xlsx)
    with pytest.raises(glotip.ImportError_, match=r"row 11, column 'txtVALUE': 'n/a'"):
        glotip.convert(raw, {"ARG"})


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export_of(data_dir, path, keep=lambda row: True, change=lambda row: row):
    """A GLOTIP export in UNODC's layout holding what data/glotip.csv holds (the codes turned back
    into the export's words), so that an import of it changes nothing; ``keep`` and ``change``
    make it a partial or altered export."""
    words = {field: {code: text for text, code in mapping.items()} for field, mapping in
             (("indicator", glotip.INDICATORS), ("dimension", glotip.DIMENSIONS), ("form", glotip.FORMS),
              ("sex", glotip.SEXES), ("age", glotip.AGES))}
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["UNODC"])
    sheet.append(["14/04/2025"])
    sheet.append(HEADER)
    with open(data_dir / "glotip.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if not keep(row):
                continue
            row = change(dict(row))
            category = (words["form"][row["category"]] if row["dimension"] in ("total", "form") else row["category_raw"])
            sheet.append(glotip_row(row["iso3"], words["dimension"][row["dimension"]], category, row["year"],
                                    row["value"], words["indicator"][row["indicator"]], words["sex"][row["sex"]],
                                    words["age"][row["age"]]))
    book.save(path)
    return path


def import_glotip(raw, data_dir, *args):
    return subprocess.run([sys.executable, "-m", "tipkb.importers.glotip", str(raw), *args], capture_output=True,
                          text=True, env=dict(os.environ, TIPKB_DATA=str(data_dir)))


def test_glotip_import_is_deterministic_and_reports_changes(tmp_path, env_data):
    before = sha(env_data / "glotip.csv")
    result = import_glotip(export_of(env_data, tmp_path / "same.xlsx"), env_data)
    assert result.returncode == 0, result.stderr
    assert "0 added, 0 removed, 0 changed" in result.stdout
    assert sha(env_data / "glotip.csv") == before
    first = next(iter(csv.DictReader(open(env_data / "glotip.csv", newline="", encoding="utf-8"))))
    target = {k: first[k] for k in glotip.KEY}
    bumped = str(int(first["value"]) + 1) if first["value"].isdigit() else "7"
    changed = export_of(env_data, tmp_path / "changed.xlsx",
                        change=lambda r: dict(r, value=bumped) if {k: r[k] for k in glotip.KEY} == target else r)
    result = import_glotip(changed, env_data)
    assert result.returncode == 0, result.stderr
    assert "0 added, 0 removed, 1 changed" in result.stdout and f"{first['iso3']}: +0 -0 ~1" in result.stdout
    assert sha(env_data / "glotip.csv") != before


def test_glotip_refuses_a_truncated_export(tmp_path, env_data):
    """Issue 14, defect 4: an export cut in half is not imported (the site would say "no data")."""
    before = sha(env_data / "glotip.csv")
    rows = sum(1 for _ in open(env_data / "glotip.csv", encoding="utf-8")) - 1
    seen = iter(range(rows))
    half = export_of(env_data, tmp_path / "half.xlsx", keep=lambda row: next(seen) < rows // 2)
    for args in ((), ("--allow-shrink",)):  # the row floor of datapackage.json holds even then
        result = import_glotip(half, env_data, *args)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr and str(half) in result.stderr, result.stderr
        assert sha(env_data / "glotip.csv") == before
    assert not list(env_data.glob(".*importing*"))


def test_glotip_refuses_to_drop_a_states_year_unless_allowed(tmp_path, env_data):
    """Issue 14, defect 4: a state's coverage shrinking is refused without --allow-shrink."""
    gone = lambda row: not (row["iso3"] == "ARG" and row["year"] == "2022")
    smaller = export_of(env_data, tmp_path / "smaller.xlsx", keep=gone)
    before = sha(env_data / "glotip.csv")
    refused = import_glotip(smaller, env_data)
    assert refused.returncode == 1 and "ARG" in refused.stderr and "2022" in refused.stderr, refused.stderr
    assert sha(env_data / "glotip.csv") == before
    allowed = import_glotip(smaller, env_data, "--allow-shrink")
    assert allowed.returncode == 0, allowed.stderr
    with open(env_data / "glotip.csv", newline="", encoding="utf-8") as fh:
        assert not [r for r in csv.DictReader(fh) if r["iso3"] == "ARG" and r["year"] == "2022"]


def test_glotip_refuses_a_year_out_of_range_before_writing(tmp_path, env_data):
    """Issue 14, defect 4: a year 1850 never reaches data/."""
    before = sha(env_data / "glotip.csv")
    first = next(iter(csv.DictReader(open(env_data / "glotip.csv", newline="", encoding="utf-8"))))
    old = export_of(env_data, tmp_path / "old.xlsx",
                    change=lambda r: dict(r, year="1850") if r == first else r)
    result = import_glotip(old, env_data)
    assert result.returncode == 1 and "year" in result.stderr, result.stderr
    assert sha(env_data / "glotip.csv") == before


def _not_a_workbook(path):
    path.write_text("Iso3_code,Country\nARG,Argentina\n", encoding="utf-8")


def _empty(path):
    path.write_bytes(b"")


def _no_header(path):
    write_xlsx(path, [])
    book = openpyxl.load_workbook(path)
    book.active.delete_rows(3)
    book.save(path)


def _bad_year(path):
    write_xlsx(path, RAW_ROWS[:1] + [glotip_row("ARG", "Total", "Total", "20x9", "5")])


def _bad_value(path):
    write_xlsx(path, RAW_ROWS[:1] + [glotip_row("ARG", "Total", "Total", 2019, "many")])


def _unknown_indicator(path):
    write_xlsx(path, RAW_ROWS[:1] + [glotip_row("ARG", "Total", "Total", 2019, "5", indicator="Rumours")])


@pytest.mark.parametrize("make", [None, _not_a_workbook, _empty, _no_header, _bad_year, _bad_value, _unknown_indicator],
                         ids=["missing", "not a workbook", "empty", "no header", "bad year", "bad value", "unknown indicator"])
def test_glotip_names_the_file_of_any_bad_input(tmp_path, env_data, make):
    """Issue 14, defect 4: one message naming the raw file, no traceback, data/ untouched."""
    raw = tmp_path / "data_glotip.xlsx"
    if make:
        make(raw)
    before = sha(env_data / "glotip.csv")
    result = import_glotip(raw, env_data)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith(str(raw)), result.stderr
    assert sha(env_data / "glotip.csv") == before


def test_policy_index_codes_saint_lucia_and_leaves_incomplete_totals_empty(tmp_path, env_data):
    raw = tmp_path / "policy_index.csv"
    raw.write_text(
        '"countryname","year","cow","tier","p","prosecution","prevention","protection","country_name","iso"\n'
        '"St.Lucia",2011,56,2,8,2,2,4,NA,NA\n'
        '"Haiti",2009,41,NA,4,2,NA,2,"Haiti","HTI"\n'
        '"Haiti",2010,41,NA,NA,NA,NA,NA,"Haiti","HTI"\n'
        '"Grenada",2011,55,NA,NA,NA,NA,NA,"Grenada","GRD"\n')
    table = policy.policy_3p(raw).set_index(["iso3", "year"])
    assert table.loc[("LCA", 2011), "protection"] == 4 and table.loc[("LCA", 2011), "total"] == 8
    assert pd.isna(table.loc[("HTI", 2009), "prevention"]) and pd.isna(table.loc[("HTI", 2009), "total"])
    assert ("HTI", 2010) not in table.index and ("GRD", 2011) not in table.index  # no data, not zero


def test_tiers_strip_labels_and_skip_missing(tmp_path, env_data):
    raw = tmp_path / "map_tiers.csv"
    raw.write_text("countryname,iso,year,ccode,tier\nHaiti,HTI,2005,41,3\nHaiti,HTI,2006,41,NA\n"
                   "Jamaica,JAM,2012,51,2 \n")
    table = policy.tip_tiers(raw).set_index(["iso3", "year"])["tier"]
    assert table[("HTI", 2005)] == "tier2_watch" and table[("JAM", 2012)] == "tier2"
    assert ("HTI", 2006) not in table.index
