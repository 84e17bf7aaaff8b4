"""Import scripts: faithful conversion, deterministic output, per-country change report.

Raw inputs are small synthetic files in the sources' own layouts (the real raw files live
outside the project)."""
from __future__ import annotations

import hashlib

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


def test_glotip_import_is_deterministic_and_reports_changes(tmp_path, env_data, capsys):
    xlsx = tmp_path / "raw.xlsx"
    write_xlsx(xlsx, RAW_ROWS)
    assert glotip.main([str(xlsx)]) == 0
    first = sha(env_data / "glotip.csv")
    assert glotip.main([str(xlsx)]) == 0
    assert sha(env_data / "glotip.csv") == first
    capsys.readouterr()
    changed = [r[:] for r in RAW_ROWS]
    changed[0][11] = "1,800"
    write_xlsx(xlsx, changed)
    assert glotip.main([str(xlsx)]) == 0
    out = capsys.readouterr().out
    assert "0 added, 0 removed, 1 changed" in out and "ARG: +0 -0 ~1" in out
    assert sha(env_data / "glotip.csv") != first


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
