"""Download tables in the reader's language: column headers and labels translated, counts as
numbers with a separate "suppressed" flag (never "<5" in a number column), sources by id.

``country_tables`` is everything a country page shows, one table per dataset: the per-country
download writes them as one CSV (long form) and as a spreadsheet with one sheet each.
"""
from __future__ import annotations

import pandas as pd

from . import data, labels, measures, sentences
from . import series as S


def _h(key: str, lang: str) -> str:
    return labels.ui(key, lang)


def _yes_no(flag: bool, lang: str) -> str:
    return labels.ui("yes" if flag else "no", lang)


def _category(r, lang: str) -> str:
    if r.dimension in ("total", "form"):
        return labels.label("form", r.category, lang)
    # Citizenship and repatriation categories are country codes (upper case) or places (lower case).
    return labels.label("place", r.category, lang) if r.category.islower() else labels.country(r.category, lang)


def _flags(iso3: str, lang: str):
    """A function from a GLOTIP row to the data notes about it ('' when none)."""
    notes = data.table("data_notes", iso3=iso3).to_dict("records")
    exact = ("value_equals_year", "part_exceeds_total")
    keys = ("indicator", "dimension", "category", "sex", "age")

    def about(row: dict) -> str:
        texts = [sentences.flag_text(n, lang) for n in notes
                 if n["indicator"] == row["indicator"] and int(n["year"]) == int(row["year"])
                 and (all(n[k] == row[k] for k in keys) if n["kind"] in exact
                      else S.row_breakdown(row) in sentences.flag_breakdowns(n))]
        return labels.ui("csv_flag", lang, items="; ".join(texts)) if texts else ""
    return about


def glotip(iso3: str, lang: str) -> pd.DataFrame:
    rows = data.table("glotip", iso3=iso3)
    about = _flags(iso3, lang)
    return pd.DataFrame([{
        _h("col_measure", lang): labels.label("indicator", r.indicator, lang),
        _h("col_breakdown", lang): labels.label("dimension", r.dimension, lang),
        _h("col_category", lang): _category(r, lang),
        _h("col_as_in_source", lang): r.category_raw,
        _h("col_sex", lang): labels.label("sex", r.sex, lang),
        _h("col_age", lang): labels.label("age", r.age, lang),
        _h("col_year", lang): int(r.year),
        _h("col_value", lang): "" if r.value == "<5" else int(r.value),
        _h("col_suppressed", lang): _yes_no(r.value == "<5", lang),
        _h("col_note", lang): about(r._asdict()),
        _h("col_source", lang): r.source_id,
    } for r in rows.itertuples(index=False)])


def tiers(iso3: str, lang: str) -> pd.DataFrame:
    return pd.DataFrame([{_h("col_report_year", lang): int(r.year), _h("col_tier", lang): labels.label("tier", r.tier, lang),
                          _h("col_source", lang): r.source_id}
                         for r in data.table("tip_tiers", iso3=iso3).itertuples(index=False)])


def policy(iso3: str, lang: str) -> pd.DataFrame:
    return pd.DataFrame([{_h("col_year", lang): int(r.year),
                          **{labels.label("p3", part, lang): "" if pd.isna(getattr(r, part)) else int(getattr(r, part))
                             for part in ("prosecution", "protection", "prevention", "total")},
                          _h("col_source", lang): r.source_id}
                         for r in data.table("policy_3p", iso3=iso3).itertuples(index=False)])


def criminalization(iso3: str, lang: str) -> pd.DataFrame:
    return pd.DataFrame([{_h("col_year", lang): int(r.year), _h("col_level", lang): labels.label("crim_level", r.level, lang),
                          _h("col_source", lang): r.source_id}
                         for r in data.table("criminalization", iso3=iso3).itertuples(index=False)])


def treaty(iso3: str, lang: str) -> pd.DataFrame:
    r = data.table("palermo", iso3=iso3).iloc[0]
    return pd.DataFrame([{
        _h("palermo_signature", lang): r["signature_date"], _h("col_deposit", lang): r["deposit_date"],
        _h("col_instrument", lang): labels.label("palermo_action", r["deposit_kind"], lang) if r["deposit_kind"] else "",
        _h("col_entry_into_force", lang): r["entry_into_force"],
        _h("col_party", lang): labels.label("party", r["party"], lang),
        _h("col_source", lang): "; ".join(s for s in (r["source_id"], r["second_source_id"]) if s)}])


def practices(iso3: str, lang: str) -> pd.DataFrame:
    rows = data.table("practices", iso3=iso3)
    rows = rows[rows["status"] == "published"]
    return pd.DataFrame([{_h("col_area", lang): labels.label("area", r.area, lang), _h("col_practice", lang): r.name,
                          _h("col_year", lang): "" if pd.isna(r.year) else int(r.year),
                          _h("col_description", lang): getattr(r, f"description_{lang}"),
                          _h("col_who_says", lang): labels.label("source_type", r.source_type, lang),
                          _h("col_source", lang): r.source_id}
                         for r in rows.itertuples(index=False)])


def population(iso3: str, lang: str) -> pd.DataFrame:
    return pd.DataFrame([{_h("col_year", lang): int(r.year), _h("col_population", lang): int(r.population),
                          _h("col_source", lang): r.source_id}
                         for r in data.table("population", iso3=iso3).itertuples(index=False)])


def country_tables(iso3: str, lang: str) -> dict[str, pd.DataFrame]:
    """Sheet name (in the reader's language) -> table."""
    tables = {"glotip": glotip, "tip_tiers": tiers, "palermo": treaty, "policy_3p": policy,
              "criminalization": criminalization, "practices": practices, "population": population}
    out = {labels.label("table", name, lang): make(iso3, lang) for name, make in tables.items()}
    if measures.available():
        out[labels.label("table", "measures", lang)] = measures.download_table(
            data.table("measures", iso3=iso3), lang)
    return out
