"""Research datasets on anti-trafficking policy -> data/ tables, for the 35 OAS member states.

- policy_index.csv (Cho, Dreher and Neumayer's 3P index, copy by Heiss and Kelley) ->
  data/policy_3p.csv: prosecution, protection, prevention (1-5) and their total (3-15).
- map_tiers.csv (US TIP Report tiers by report year, MIT-licensed copy by Kelley and Heiss) ->
  data/tip_tiers.csv.
- map_criminalization.csv (Kelley and Simmons coding, 2001 and 2014) -> data/criminalization.csv.

Rows without any value (NA: not ranked, special case, not covered) are left out: a missing row
reads as "no data", never as zero. A 3P row with only some sub-indices is kept, its total empty. Labels are stripped of the trailing spaces the sources carry.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from .. import data
from . import names
from .common import run, write_provenance, write_table

TIER_CODES = {"1": "tier1", "2": "tier2", "3": "tier2_watch", "4": "tier3"}
CRIM_CODES = {"No criminalization": "none", "Partial criminalization": "partial",
              "Full criminalization": "full"}


def members() -> set[str]:
    return set(pd.read_csv(data.data_dir() / "curated" / "oas_member_states.csv", dtype=str)["iso3"])


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[]).apply(lambda col: col.str.strip())


def policy_3p(path: Path) -> pd.DataFrame:
    raw = _read(path)
    # Saint Lucia's rows carry iso "NA" and the name "St.Lucia": code them from the name.
    iso = raw["iso"].where(raw["iso"] != "NA", raw["countryname"].map(lambda n: names.lookup(n) or "NA"))
    raw = raw.assign(iso3=iso)
    # Keep every row with at least one score: a row with two sub-indices and no total (Costa Rica
    # 2000) is data, and dropping it would shift that year's medians.
    scored = (raw[["prosecution", "protection", "prevention", "p"]] != "NA").any(axis=1)
    rows = raw[raw["iso3"].isin(members()) & scored]
    def score(col: str) -> pd.Series:
        return pd.to_numeric(rows[col].replace("NA", None)).astype("Int64")

    out = pd.DataFrame({
        "iso3": rows["iso3"], "year": rows["year"].astype(int),
        "prosecution": score("prosecution"), "protection": score("protection"),
        "prevention": score("prevention"), "total": score("p"),
        "source_id": "cho-3p-index",
    })
    parts = out[["prosecution", "protection", "prevention"]]
    # A total over fewer than three sub-indices is not comparable with the others (Haiti 2009
    # lacks prevention, yet its source total is the sum of the other two): leave it empty.
    out.loc[parts.isna().any(axis=1), "total"] = pd.NA
    complete = parts.notna().all(axis=1)
    bad = out[complete & (out["total"] != parts.sum(axis=1))]
    if len(bad):
        raise ValueError(f"{path}: total is not the sum of the three sub-indices for {bad[['iso3', 'year']].values.tolist()}")
    return out


def _coded(path: Path, iso: str, column: str, codes: dict, out: str, source_id: str, what: str) -> pd.DataFrame:
    """Rows of member states with a coded value ("NA" left out), the codes mapped to ours."""
    raw = _read(path)
    rows = raw[raw[iso].isin(members()) & (raw[column] != "NA")]
    unknown = set(rows[column]) - set(codes)
    if unknown:
        raise ValueError(f"{path}: unknown {what} {sorted(unknown)}")
    return pd.DataFrame({"iso3": rows[iso], "year": rows["year"].astype(int), out: rows[column].map(codes),
                         "source_id": source_id})


def tip_tiers(path: Path) -> pd.DataFrame:
    return _coded(path, "iso", "tier", TIER_CODES, "tier", "kelley-heiss-tiers", "tier codes")


def criminalization(path: Path) -> pd.DataFrame:
    return _coded(path, "iso3", "crim_level", CRIM_CODES, "level", "kelley-simmons-criminalization",
                  "criminalization levels")


TABLES = {
    "policy_3p": (policy_3p, ["iso3", "year"], "3P Anti-trafficking Policy Index, copy in andrewheiss/From-the-Trenches-Anti-TIP-NGOs-and-US"),
    "tip_tiers": (tip_tiers, ["iso3", "year"], "TIP Report tiers, MIT-licensed copy in andrewheiss/scorecard-diplomacy"),
    "criminalization": (criminalization, ["iso3", "year"], "Criminalization levels, MIT-licensed copy in andrewheiss/scorecard-diplomacy"),
}


def main(argv: list[str]) -> int:
    usage = f"python -m tipkb.importers.policy {{{'|'.join(TABLES)}}} <raw.csv>"
    if not argv or argv[0] not in TABLES:
        print(f"usage: {usage}", file=sys.stderr)
        return 2
    return run(argv, usage, 2, _import)


def _import(args: list[str], allow_shrink: bool) -> int:
    name, raw = args[0], Path(args[1])
    build, key, note = TABLES[name]
    table = build(raw)
    print(f"data/{name}.csv: {len(table)} rows, {table['iso3'].nunique()} states\n"
          + write_table(table, name, key, allow_shrink=allow_shrink))
    write_provenance(name, raw, note, {"rows": len(table)})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
