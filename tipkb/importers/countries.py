"""data/curated/oas_member_states.csv + library names -> data/countries.csv.

The 35 OAS member states (as of 2012) with English and Spanish names from pycountry/Babel
(tipkb.importers.names), the book's subregion and notes where membership is special. Also
writes data/country_names.csv: names of every other country code the tables use (for example
victims' citizenships), so every code a reader sees has a name in both languages.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from .. import data
from . import names
from .common import TableUpdate, run, write_provenance, write_tables

SOURCE_ID = "iso-cldr-names"


def build_countries() -> pd.DataFrame:
    members = pd.read_csv(data.data_dir() / "curated" / "oas_member_states.csv", dtype=str, keep_default_na=False)
    members["iso2"] = members["iso3"].map(names._alpha2)
    members["name_en"] = members["iso3"].map(names.name_en)
    members["name_es"] = members["iso3"].map(names.name_es)
    members["source_id"] = SOURCE_ID
    return members[["iso3", "iso2", "name_en", "name_es", "subregion", "membership_note_en",
                    "membership_note_es", "membership_source_id", "source_id"]]


def build_other_names(member_codes: set[str]) -> pd.DataFrame:
    """Country codes used by data/glotip.csv categories that are not member states."""
    glotip = pd.read_csv(data.data_dir() / "glotip.csv", dtype=str, keep_default_na=False)
    used = {c for c in glotip["category"].unique() if c.isupper() and len(c) == 3} - member_codes
    rows = [{"iso3": c, "name_en": names.name_en(c), "name_es": names.name_es(c), "source_id": SOURCE_ID}
            for c in sorted(used)]
    return pd.DataFrame(rows, columns=["iso3", "name_en", "name_es", "source_id"])


def main(argv: list[str]) -> int:
    curated = data.data_dir() / "curated" / "oas_member_states.csv"
    return run(argv + [str(curated)], "scripts/import-countries", 1, _import)


def _import(args: list[str], allow_shrink: bool) -> int:
    countries = build_countries()
    others = build_other_names(set(countries["iso3"]))
    reports = write_tables([TableUpdate(countries, "countries", ["iso3"]),
                            TableUpdate(others, "country_names", ["iso3"])], allow_shrink)
    print("data/countries.csv:", reports[0])
    print("data/country_names.csv:", reports[1])
    write_provenance("countries", Path(args[0]), "Names from pycountry (ISO 3166) and Babel (CLDR); "
                     "subregions and membership notes curated in data/curated/oas_member_states.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
