"""Citing a source: one place that turns a row of data/sources.csv into words and links.

A source's title stays in its own language; everything the project writes around it (the
publisher's official name in the reader's language where it has one, "copy on …", dates, "accessed
…") is in the page's language.
"""
from __future__ import annotations

import pandas as pd

from . import data, labels, myst

# The TIP Report is the US Government's: on the United States' own rows it is not a foreign
# government's assessment but its own.
US_TIP = "us_tip_report"
US_TIP_AUTHOR = "USA"


def kind(source_type: str, iso3: str, lang: str) -> str:
    """Who says it, as a type of source ('US TIP Report (foreign government assessment)'), for a
    fact about the state ``iso3``."""
    if source_type == US_TIP and iso3 == US_TIP_AUTHOR:
        return labels.ui("us_tip_self", lang)
    return labels.label("source_type", source_type, lang)


def us_variant(key: str, iso3: str) -> str:
    """The codebook key of a sentence about the TIP Report, for a page about ``iso3``."""
    return key + "_self" if iso3 == US_TIP_AUTHOR else key


def row(source_id: str) -> pd.Series:
    rows, _ = data.shared("sources", source_id=source_id)
    if rows.empty:
        raise KeyError(f"no source {source_id!r} in data/sources.csv")
    return rows.iloc[0]


def title(src: pd.Series, lang: str) -> str:
    """A source's title stays in its own language, except this project's own compilations, which
    have a title in each language (``title_<lang>``)."""
    local = src.get(f"title_{lang}", "") if f"title_{lang}" in src.index else ""
    return local or src["title"]


def publisher(src: pd.Series, lang: str) -> str:
    """The publisher's name in the page's language where an official form is recorded."""
    local = src.get(f"publisher_{lang}", "") if f"publisher_{lang}" in src.index else ""
    return local or src["publisher"]


def _via(src: pd.Series, lang: str) -> str:
    if not src.get("via", ""):
        return ""
    key = {"translation": "source_translation_on", "archive": "source_archive_on"}.get(src.get("via_kind", ""),
                                                                                    "source_copy_on")
    return labels.ui(key, lang, host=src["via"])


def link(source_id: str, lang: str, text: str | None = None, with_via: bool = True) -> str:
    """The source's title (or ``text``) as a link when it has an address, with the copy note."""
    src = row(source_id)
    own = title(src, lang)
    label = text or own
    other = src["language"] if text is None and own == src["title"] and src["language"] != lang else ""
    if src["url"]:
        out = myst.link(label, src["url"], other)
    else:
        out = myst.foreign(label, other) if other else myst.text(label)
    via = _via(src, lang)
    return out + (f" ({myst.text(via)})" if via and text is None and with_via else "")


def entry(source_id: str, lang: str) -> str:
    """A reference-list entry: title, publisher, date, copy, data date, accessed."""
    src = row(source_id)
    parts = [publisher(src, lang)]
    when = src.get("date", "") or src.get("year", "")
    if when:
        parts.append(labels.date(when, lang))
    parts.append(_via(src, lang))
    if src.get("as_of", ""):
        parts.append(labels.ui("data_as_of", lang, date=labels.date(src["as_of"], lang)))
    if src["accessed"]:
        parts.append(labels.ui("accessed_on", lang, date=labels.date(src["accessed"], lang)))
    # Each part is a sentence of its own; a part that already ends with a full stop ("EE. UU.")
    # is not given a second one.
    sentences = [p[0].upper() + p[1:] for p in parts if p]
    shown = title(src, lang).rstrip()
    text = link(source_id, lang, with_via=False) + ("" if shown.endswith((".", "?", "!")) else ".")
    for i, sentence in enumerate(sentences):
        # The publisher keeps its own name (and language) where it has no form in the page's.
        foreign = i == 0 and sentence == src["publisher"] and src["language"] != lang
        text += " " + (myst.foreign(sentence, src["language"]) if foreign else myst.text(sentence))
        text += "" if sentence.endswith(".") else "."
    return text


def short(source_id: str, lang: str) -> str:
    """The short name used under charts ('UNODC, data on trafficking in persons (GLOTIP)')."""
    if labels.has_label("source_line", source_id, lang):
        return labels.label("source_line", source_id, lang)
    src = row(source_id)
    return f"{publisher(src, lang)}, {title(src, lang)}"


def line(source_ids: list[str], lang: str) -> str:
    """'Source: UNODC, … (data as of 14 April 2025).' in the page's language."""
    parts = []
    for sid in dict.fromkeys(source_ids):
        src = row(sid)
        name = short(sid, lang)
        as_of = src["as_of"]
        if not as_of:
            parts.append(name)
        else:
            parts.append(labels.ui("source_as_of", lang, source=name, date=labels.date(as_of, lang)))
    key = "source_one" if len(parts) == 1 else "source_many"
    return labels.ui(key, lang, sources="; ".join(parts))
