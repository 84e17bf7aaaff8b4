"""UNODC GLOTIP export (data_glotip.xlsx) -> data/glotip.csv for the 35 OAS member states.

Kept as the source gives it:
- ``value`` is a count or ``<5`` (UNODC's suppression of counts 1-4); thousands separators
  ("1,757") are removed, nothing else is converted;
- the export repeats some keys (several "Other forms of exploitation" rows for one country and
  year, several "Other" sex rows) without the detail that tells them apart; every row is kept and
  numbered by ``seq`` in source order;
- free-text categories of the citizenship and repatriation dimensions (English, Spanish,
  demonyms, misspellings, characters lost in the export) are coded to ISO 3166 alpha-3 or to
  nationals / unknown / other / abroad / total / unclassified / unspecified, using the library
  name index (tipkb.importers.names) and data/curated/glotip_categories.csv for the rest;
  ``category_raw`` keeps the source text.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

from .. import anomalies, data
from . import names
from .common import TableUpdate, run, write_provenance, write_tables

SOURCE_ID = "unodc-glotip-2025"
KEY = ["iso3", "indicator", "dimension", "category", "sex", "age", "year", "seq"]

INDICATORS = {
    "Detected trafficking victims": "detected_victims",
    "Offences of trafficking in persons": "offences",
    "Persons brought into formal contact": "formal_contact",
    "Persons prosecuted": "prosecuted",
    "Persons convicted": "convicted",
}
DIMENSIONS = {
    "Total": "total",
    "by form of exploitation": "form",
    "by citizenship": "citizenship",
    "by country of repatriation": "repatriation",
}
FORMS = {
    "Total": "total",
    "Sexual exploitation": "sexual_exploitation",
    "Forced labour": "forced_labour",
    "Other forms of exploitation": "other_forms",
}
SEXES = {"Total": "total", "Female": "female", "Male": "male", "Other": "other", "Unknown": "unknown"}
AGES = {"Total": "total", "0 to 17 years": "children", "18 years or over": "adults", "Unknown": "unknown"}

COLUMNS = ["Iso3_code", "Country", "Region", "Subregion", "Indicator", "Dimension", "Category", "Sex",
           "Age", "Year", "Unit of measurement", "txtVALUE", "Source"]


class ImportError_(ValueError):
    pass


def read_raw(xlsx: Path) -> tuple[pd.DataFrame, str]:
    """The data rows and the export date written in the sheet's second row."""
    head = pd.read_excel(xlsx, header=None, nrows=2, dtype=str)
    export_date = str(head.iloc[1, 0]).strip()
    # keep_default_na=False: "NA" (Namibia) or "n/a" must reach the checks as text, not vanish as NaN.
    raw = pd.read_excel(xlsx, header=2, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise ImportError_(f"header row 3 lacks columns {missing}")
    return raw, export_date


def _code(mapping: dict, value, column: str, excel_row: int) -> str:
    if value not in mapping:
        raise ImportError_(f"row {excel_row}, column {column!r}: unknown value {value!r}; "
                           f"add it to tipkb/importers/glotip.py")
    return mapping[value]


def _year(value, excel_row: int) -> int:
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}", text):
        raise ImportError_(f"row {excel_row}, column 'Year': {value!r} is not a year")
    return int(text)


def load_category_map() -> dict[str, str]:
    table = pd.read_csv(data.data_dir() / "curated" / "glotip_categories.csv", dtype=str, keep_default_na=False)
    return dict(zip(table["raw"], table["code"]))


def code_place(raw, curated: dict[str, str]) -> str | None:
    if pd.isna(raw) or str(raw).strip() == "":
        return "unspecified"
    raw = str(raw)
    return curated.get(raw) or names.lookup(raw)


def convert(raw: pd.DataFrame, oas: set[str]) -> pd.DataFrame:
    raw = raw.reset_index(drop=True)
    raw["excel_row"] = raw.index + 4  # two title rows and the header precede the data
    rows = raw[raw["Iso3_code"].isin(oas)]
    curated = load_category_map()
    out, unmapped = [], {}
    for rec in rows.itertuples(index=False):
        r = rec._asdict()
        line = r["excel_row"]
        dimension = _code(DIMENSIONS, r["Dimension"], "Dimension", line)
        if dimension in ("total", "form"):
            category = _code(FORMS, r["Category"], "Category", line)
        else:
            category = code_place(r["Category"], curated)
            if category is None:
                unmapped.setdefault(r["Category"], line)
                continue
        value = str(r["txtVALUE"]).strip().replace(",", "")
        if not (value == "<5" or re.fullmatch(r"\d+", value)):
            raise ImportError_(f"row {line}, column 'txtVALUE': {r['txtVALUE']!r} is neither a count nor <5")
        out.append({
            "iso3": r["Iso3_code"],
            "indicator": _code(INDICATORS, r["Indicator"], "Indicator", line),
            "dimension": dimension,
            "category": category,
            "category_raw": "" if pd.isna(r["Category"]) else str(r["Category"]),
            "sex": _code(SEXES, r["Sex"], "Sex", line),
            "age": _code(AGES, r["Age"], "Age", line),
            "year": _year(r["Year"], line),
            "value": value,
            "source_id": SOURCE_ID,
        })
    if unmapped:
        listing = "\n".join(f"  {text!r} (first at row {line})" for text, line in sorted(unmapped.items()))
        raise ImportError_("categories with no code; add them to data/curated/glotip_categories.csv:\n" + listing)
    table = pd.DataFrame(out)
    group = ["iso3", "indicator", "dimension", "category", "sex", "age", "year"]
    table["seq"] = table.groupby(group, sort=False).cumcount() + 1
    return table[["iso3", "indicator", "dimension", "category", "category_raw", "sex", "age", "year", "seq",
                  "value", "source_id"]]


def main(argv: list[str]) -> int:
    return run(argv, "scripts/import-glotip <data_glotip.xlsx>", 1, _import)


def _import(args: list[str], allow_shrink: bool) -> int:
    xlsx = Path(args[0])
    oas = set(pd.read_csv(data.data_dir() / "curated" / "oas_member_states.csv", dtype=str)["iso3"])
    raw, export_date = read_raw(xlsx)
    table = convert(raw, oas)
    # The table and its data notes (rows that do not add up) are written together: both or neither.
    notes = anomalies.find(table)
    reports = write_tables([TableUpdate(table, "glotip", KEY),
                            TableUpdate(notes, "data_notes", anomalies.COLUMNS[:8])], allow_shrink)
    report = reports[0] + "\ndata/data_notes.csv: " + reports[1]
    write_provenance("glotip", xlsx, "UNODC GLOTIP export; rows of the 35 OAS member states",
                     {"export_date": export_date, "rows": len(table)})
    print(f"data/glotip.csv: {len(table)} rows (export dated {export_date})\n{report}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
