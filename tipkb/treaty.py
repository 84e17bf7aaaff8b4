"""Each state's status under the UN Trafficking Protocol (Palermo, 2000), in words.

Dates are as precise as their source: a day, a month (``2008-04``), or only the entry into force.
A state with no usable record is "no dated record found in the sources consulted" — never "not a
party"; an instrument type that no source states is said to be inferred, and from what.
"""
from __future__ import annotations

import pandas as pd

from . import data, labels, myst, sources


def row(iso3: str) -> pd.Series:
    return data.table("palermo", iso3=iso3).iloc[0]


def source_ids(iso3: str) -> list[str]:
    r = row(iso3)
    return [s for s in (r["source_id"], r["second_source_id"]) if s]


def _kind(r: pd.Series, lang: str) -> str:
    if not r["deposit_kind"]:
        return ""
    kind = labels.label("palermo_action", r["deposit_kind"], lang)
    if r["deposit_kind_basis"] == "inferred":
        return labels.ui(f"palermo_inferred_{r['deposit_kind']}", lang, kind=kind)
    return kind


def short_status(iso3: str, lang: str) -> str:
    """For the key-facts strip: 'Party since 19 November 2002', 'Party since April 2008'…"""
    r = row(iso3)
    if r["party"] != "yes":
        return labels.ui("palermo_no_record", lang)
    if r["deposit_date"]:
        return labels.ui("palermo_party_since", lang, date=labels.date(r["deposit_date"], lang))
    if r["entry_into_force"]:
        return labels.ui("palermo_party_in_force", lang, date=labels.date(r["entry_into_force"], lang))
    return labels.ui("palermo_party_undated", lang)


def sentences_for(iso3: str, lang: str) -> list[str]:
    """Everything the record says, one sentence each."""
    r = row(iso3)
    out = [short_status(iso3, lang) + "."]
    kind = _kind(r, lang)
    if kind:
        out.append(labels.ui("palermo_instrument", lang, kind=kind) + ".")
    if r["signature_date"]:
        out.append(labels.ui("palermo_signed", lang, date=labels.date(r["signature_date"], lang)) + ".")
    if r["entry_into_force"] and r["deposit_date"]:
        out.append(labels.ui("palermo_in_force", lang, date=labels.date(r["entry_into_force"], lang)) + ".")
    if r["party"] == "yes" and len(r["deposit_date"]) == 7:
        out.append(labels.ui("palermo_month_only", lang) + ".")
    return out


def country_section(iso3: str, lang: str) -> str:
    text = " ".join(myst.text(s) for s in sentences_for(iso3, lang))
    refs = "; ".join(sources.link(sid, lang) for sid in source_ids(iso3))
    return f"{text}\n\n{myst.text(labels.ui('sources_label', lang))}: {refs}"
