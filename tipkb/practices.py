"""Documented practices as page blocks: who says what, when, and what other sources say.

Only practices confirmed in their source (status ``published``) are written as facts. Practices
still to be confirmed appear in a separate, clearly marked list, never mixed with the others.
"""
from __future__ import annotations

import pandas as pd

from . import data, labels, myst
from . import sources as cite

AREAS = ("laws", "policies", "programmes", "immigration_controls")


def catalogue_label(area: str, iso3: str) -> str:
    """The label of a state's section on an area's catalogue page (book/practices/<area>)."""
    return f"practices-{area.replace('_', '-')}-{iso3.lower()}"


def _source_ref(source_id: str, sources: pd.DataFrame, lang: str) -> str:
    return cite.link(source_id, lang)


def display_name(row, lang: str, style: str = "bold") -> str:
    """The name as the source gives it, with a translation into the page's language where one
    exists; a descriptive name (no official title found) is said to be one."""
    if row.get("name_kind") == "descriptive":
        # No official name was found: the descriptive name is ours, so it is given in the page's
        # language only, and said to be descriptive.
        name = myst.named(row.get(f"name_{lang}") or row["name"], "", style)
        return name + " \\[" + myst.text(labels.label("name_kind", "descriptive", lang).lower()) + "\\]"
    return myst.named(row["name"], row.get(f"name_{lang}") or "", style)


def practice_item(row, sources: pd.DataFrame, notes: pd.DataFrame, lang: str) -> str:
    head = myst.weighted(display_name(row, lang), 2)  # the practice's name counts more for search
    if pd.notna(row["year"]):
        head += f" — {int(row['year'])}"
    lines = [head, "", myst.text(row[f"description_{lang}"]), ""]
    who = cite.kind(row["source_type"], row["iso3"], lang)
    when = str(int(row["source_year"])) if pd.notna(row["source_year"]) else labels.ui("undated", lang)
    checked = labels.date(row["verified"], lang) if row["verified"] else labels.ui("not_checked", lang)
    lines.append(myst.unindexed(myst.fill(labels.label("ui", "practice_source", lang), who=myst.text(who),
                                          when=myst.text(when), source=_source_ref(row["source_id"], sources, lang),
                                          checked=myst.text(checked))))
    mine = notes[notes["practice_id"] == row["practice_id"]].sort_values("note_no")
    for note in mine.itertuples(index=False):
        kind = labels.label("note_kind", note.kind, lang)
        lines += ["", f"- *{myst.text(kind)}:* {myst.text(getattr(note, f'note_{lang}'))} "
                      f"— {_source_ref(note.source_id, sources, lang)}"]
    return "\n".join(lines)


def _tables():
    practices = data.table("practices")
    notes = data.table("practice_notes")
    sources = data.table("sources").set_index("source_id")
    return practices, notes, sources


def country_practices(iso3: str, lang: str, country: str, anchor: str) -> myst.Markdown:
    """A country's documented practices, by questionnaire area (one sub-section each, labelled
    ``<anchor>-<area>``), then the items still to be confirmed."""
    practices, notes, sources = _tables()
    mine = practices[practices["iso3"] == iso3]
    blocks = []
    for area in AREAS:
        rows = mine[(mine["area"] == area) & (mine["status"] == "published")]
        blocks.append(f"({anchor}-{area.replace('_', '-')})=\n### {myst.text(labels.label('area', area, lang))}")
        if rows.empty:
            blocks.append(myst.text(labels.ui("no_practice_in_area", lang, country=country)))
            continue
        for _, row in rows.iterrows():
            blocks.append(practice_item(row, sources, notes, lang))
    pending = mine[mine["status"] == "to_confirm"]
    if not pending.empty:
        items = []
        for _, row in pending.iterrows():
            area = labels.label("area", row["area"], lang)
            items.append(f"- {display_name(row, lang)} ({myst.text(area)}): {myst.text(row[f'description_{lang}'])} "
                         f"— {myst.text(labels.ui('cited_in', lang))} {_source_ref(row['source_id'], sources, lang)}")
        body = myst.text(labels.ui("to_confirm_intro", lang)) + "\n\n" + "\n".join(items)
        blocks.append(myst.fence("admonition", myst.text(labels.ui("to_confirm_title", lang)),
                                 {"class": "warning kb-to-confirm"}, body))
    return myst.Markdown("\n\n".join(b for b in blocks if b))


def published_count(iso3: str) -> int:
    return int(((data.table("practices", columns=["iso3", "status"], iso3=iso3)["status"]) == "published").sum())


def source_ids(iso3: str) -> list[str]:
    mine = data.table("practices", columns=["practice_id", "iso3", "status", "source_id"], iso3=iso3)
    mine = mine[mine["status"] != "excluded"]
    notes = data.table("practice_notes", columns=["practice_id", "source_id"], practice_id=list(mine["practice_id"]))
    return list(dict.fromkeys(list(mine["source_id"]) + list(notes["source_id"])))


def counts(lang: str) -> pd.DataFrame:
    """Published practices per country and area (for indexes and the home page)."""
    practices, _, _ = _tables()
    published = practices[practices["status"] == "published"]
    table = published.groupby(["iso3", "area"]).size().unstack(fill_value=0)
    return table.reindex(columns=list(AREAS), fill_value=0)
