"""Measures in place: what each member state has, cited and dated, in the reader's language.

One row per state and measure (data/measures.csv). A status is a symbol *and* a word, never colour
alone; ``unclear`` reads "not established in the sources consulted", never "no"; a status resting
on the US TIP Report is labelled as the US Government's assessment. The measure codes and their
order come from the data package's schema, not from code.
"""
from __future__ import annotations

import html
import json

import pandas as pd

from . import data, labels, myst, sentences, sources
from .charts import layout

STATUSES = ("in_place", "partial", "expired", "draft", "none", "unclear")
SYMBOLS = {"in_place": "●", "partial": "◐", "expired": "◌", "draft": "◔", "none": "○", "unclear": "–"}
US_ASSESSMENT = sources.US_TIP


def available() -> bool:
    return any(r["name"] == "measures" for r in data.package()["resources"])


def codes() -> list[str]:
    """The measures, in the order the schema lists them."""
    for resource in data.package()["resources"]:
        if resource["name"] == "measures":
            field = next(f for f in resource["schema"]["fields"] if f["name"] == "measure")
            return list(field["constraints"]["enum"])
    return []


def rows(**filters) -> pd.DataFrame:
    return data.table("measures", **filters)


def slug(measure: str) -> str:
    return measure.replace("_", "-")


def page_label(measure: str, iso3: str | None = None) -> str:
    """The label of a measure page's section for a state (or of the page's top)."""
    base = f"measure-{slug(measure)}"
    return f"{base}-{iso3.lower()}" if iso3 else base


def link(text: str, measure: str, iso3: str) -> str:
    """A link to a state's entry on a measure's page."""
    return myst.page_link(text, f"measures/{slug(measure)}", page_label(measure, iso3))


def status_text(status: str, lang: str) -> str:
    return f"{SYMBOLS[status]} {labels.label('measure_status', status, lang)}"


def when(row, lang: str) -> str:
    if row["period"]:
        return row["period"].replace("-", "–")
    return "" if pd.isna(row["year"]) else str(int(row["year"]))


def us_assessed(row) -> bool:
    """The status rests on the US Government's TIP Report (marked "US" wherever it is shown)."""
    return row["source_type"] == US_ASSESSMENT and row["status"] != "unclear"


def count_phrase(iso3: str, lang: str) -> str:
    """'3 of 11 in place, one partly; 7 not established' (a count of 0 says what the rest are)."""
    mine = rows(iso3=iso3)
    n = int((mine["status"] == "in_place").sum())
    partial = int((mine["status"] == "partial").sum())
    unclear = int((mine["status"] == "unclear").sum())
    text = labels.ui("measures_count", lang, n=n, total=len(codes()))
    text += labels.ui_n("measures_count_partial", partial, lang) if partial else ""
    return text + (labels.ui_n("measures_count_unclear", unclear, lang) if unclear else "")


def summary_sentence(iso3: str, lang: str) -> str:
    mine = rows(iso3=iso3)
    n = int((mine["status"] == "in_place").sum())
    unclear = int((mine["status"] == "unclear").sum())
    text = labels.ui_n("sum_measures", n, lang, total=len(codes()))
    if unclear:
        text += " " + sentences.capitalized(labels.ui_n("sum_measures_unclear", unclear, lang))
    return text


def source_ids(iso3: str) -> list[str]:
    mine = rows(iso3=iso3)
    notes = data.table("measure_notes", iso3=iso3)
    return list(dict.fromkeys([s for s in list(mine["source_id"]) + list(notes["source_id"]) if s]))


def who(row, lang: str) -> str:
    """Who says it and when: 'US TIP Report (foreign government assessment), 2024'."""
    if row["status"] == "unclear" or not row["source_type"]:
        return ""
    kind = sources.kind(row["source_type"], row["iso3"], lang)
    return f"{kind}, {labels.date(row['source_date'], lang)}" if row["source_date"] else kind


def country_card(iso3: str, lang: str) -> str:
    """All measures of a state: status word, year or period, and who says so, each measure
    linking to its line on the measure's page."""
    mine = rows(iso3=iso3).set_index("measure")
    header = [labels.ui(k, lang) for k in ("col_measure", "col_status", "col_year", "col_who_says")]
    body = []
    for code in codes():
        row = mine.loc[code]
        body.append([link(labels.label("measure", code, lang), code, iso3),
                     myst.text(status_text(row["status"], lang)), myst.text(when(row, lang)),
                     myst.text(who(row, lang))])
    intro = myst.text(labels.ui("measures_card_intro", lang) + " " + labels.ui(sources.us_variant("measures_card_us", iso3), lang))
    # What the sources do say about a status they leave unsettled (Grenada's 2014 Act) belongs
    # beside the "not established" cell, not only on the measure's page.
    unsettled = [f"- **{myst.text(labels.label('measure', code, lang))}** {note[2:]}"
                 for code in codes() if mine.loc[code, "status"] == "unclear" for note in _notes(iso3, code, lang)]
    return "\n\n".join([intro, myst.table(header, body, classes=["kb-measures-card"])] + (["\n".join(unsettled)] if unsettled else []))


def _notes(iso3: str, measure: str, lang: str) -> list[str]:
    notes = data.table("measure_notes", iso3=iso3, measure=measure).sort_values("note_no")
    return [f"- *{myst.text(labels.label('note_kind', n.kind, lang))}:* {myst.text(getattr(n, f'note_{lang}'))} "
            f"— {sources.link(n.source_id, lang)}" for n in notes.itertuples(index=False)]


def entry(row, lang: str) -> str:
    """A state's line on a measure page: status, name, period, description, source, check date."""
    status = row["status"]
    head = f"**{myst.text(status_text(status, lang))}**"
    if status == "unclear":
        notes = _notes(row["iso3"], row["measure"], lang)
        return "\n".join([head + " — " + myst.text(labels.ui("measure_unclear_long", lang))] + ([""] + notes if notes else []))
    if row["name"]:
        local = row.get(f"name_{lang}", "") if f"name_{lang}" in row.index else ""
        head += " — " + myst.weighted(myst.named(row["name"], local, "italic"), 2)  # counts more for search
    span = when(row, lang)
    if span:
        head += f" — {span}"
    lines = [head, "", myst.text(row[f"description_{lang}"]), ""]
    source = labels.ui("measure_source", lang, who=who(row, lang), checked=labels.date(row["checked"], lang))
    lines.append(myst.unindexed(myst.text(source) + " " + sources.link(row["source_id"], lang)))
    if row["source_type"] == US_ASSESSMENT:
        # The same sentence on 109 entries: said to every reader, not a reason for a result.
        lines += ["", myst.unindexed(myst.text(labels.ui(sources.us_variant("us_assessment_note", row["iso3"]), lang)))]
    notes = _notes(row["iso3"], row["measure"], lang)
    if notes:
        lines += [""] + notes
    if row["practice_id"]:
        lines += ["", myst.page_link(labels.ui("see_practice", lang), f"countries/{row['iso3'].lower()}",
                                     f"{row['iso3'].lower()}-practices")]
    return "\n".join(lines)


def measure_page(measure: str, lang: str) -> myst.Markdown:
    """One measure across the region: the count, a chart of adoption years where meaningful,
    then one section per state, by subregion."""
    table = rows(measure=measure)
    countries = layout.ordered_countries(data.table("countries"), lang)
    counted = table["status"].value_counts()
    in_place = int(counted.get("in_place", 0))
    parts = [myst.text(sentences.capitalized(labels.ui(f"measure_headline_{measure}", lang,
                                                       n=labels.words_or_number(in_place, lang),
                                                       total=len(countries)))),
             myst.text(labels.ui("measure_page_intro", lang))]
    parts.append(myst.table([labels.ui("col_status", lang), labels.ui("col_states", lang)],
                            [[myst.text(status_text(s, lang)), labels.number(int(counted.get(s, 0)), lang)]
                             for s in STATUSES]))
    current = None
    for country in countries.itertuples(index=False):
        if country.subregion != current:
            current = country.subregion
            parts.append(f"## {myst.text(labels.label('subregion', current, lang))}")
        row = table[table["iso3"] == country.iso3].iloc[0]
        parts.append(f"({page_label(measure, country.iso3)})=\n### {myst.text(getattr(country, f'name_{lang}'))}\n\n"
                     + entry(row, lang) + "\n\n"
                     + myst.page_link(labels.ui("country_page_link", lang, country=getattr(country, f"name_{lang}")),
                                      f"countries/{country.iso3.lower()}", f"{country.iso3.lower()}-measures"))
    return myst.Markdown("\n\n".join(parts))


def matrix(lang: str) -> myst.Html:
    """States × measures as a plain HTML table (works without JavaScript): each cell a symbol and
    a word, the year, a mark where the status is the US Government's assessment, and a link to
    the evidence. Filters and sorting are added by _static/kb-matrix.js; below 768 px the CSS
    shows each state as a card."""
    table = rows().set_index(["iso3", "measure"])
    countries = layout.ordered_countries(data.table("countries"), lang)
    head = "".join(f'<th scope="col" data-measure="{m}"><a href="{html.escape(m.replace("_", "-"))}.html">'
                   f'{html.escape(labels.label("measure", m, lang))}</a></th>' for m in codes())
    body = []
    for c in countries.itertuples(index=False):
        name = getattr(c, f"name_{lang}")
        cells = []
        for m in codes():
            row = table.loc[(c.iso3, m)]
            status = row["status"]
            mark = (f' <abbr class="kb-us" title="{html.escape(labels.ui("us_assessment_short", lang))}">'
                    f'{html.escape(labels.ui("us_mark", lang))}</abbr>' if us_assessed(row) else "")
            year = when(row, lang)
            cells.append(
                f'<td class="kb-st-{status}" data-status="{status}" data-measure="{m}" data-pagefind-ignore>'
                f'<a href="{html.escape(m.replace("_", "-"))}.html#{page_label(m, c.iso3)}">'
                f'<span class="kb-cell-label">{html.escape(labels.label("measure", m, lang))}</span>'
                f'<span class="kb-sym" aria-hidden="true">{SYMBOLS[status]}</span> '
                f'<span class="kb-word">{html.escape(labels.label("measure_status", status, lang))}</span>'
                f'{(" <span class=kb-year>" + html.escape(year) + "</span>") if year else ""}{mark}</a></td>')
        in_place = sum(1 for m in codes() if table.loc[(c.iso3, m), "status"] == "in_place")
        body.append(f'<tr data-subregion="{c.subregion}" data-iso3="{c.iso3}" data-in-place="{in_place}" '
                    f'data-name="{html.escape(layout.collation_key(name))}">'
                    f'<th scope="row"><a href="../countries/{c.iso3.lower()}.html#{c.iso3.lower()}-measures">'
                    f'{html.escape(name)}</a></th>{"".join(cells)}</tr>')
    caption = html.escape(labels.ui("matrix_caption", lang))
    subregions = "".join(f'<option value="{code}">{html.escape(labels.label("subregion", code, lang))}</option>'
                         for code in layout.SUBREGION_ORDER)
    measure_options = "".join(f'<option value="{m}">{html.escape(labels.label("measure", m, lang))}</option>'
                              for m in codes())
    # Filters and sorting need JavaScript: the form stays hidden until _static/kb-matrix.js runs.
    form = (f'<form class="kb-matrix-filters" id="kb-matrix-filters" hidden>'
            f'<label>{html.escape(labels.ui("col_subregion", lang))} <select data-filter="subregion">'
            f'<option value="">{html.escape(labels.ui("filter_all_subregions", lang))}</option>{subregions}</select></label>'
            f'<label>{html.escape(labels.ui("col_measure", lang))} <select data-filter="measure">'
            f'<option value="">{html.escape(labels.ui("filter_all_measures", lang))}</option>{measure_options}</select></label>'
            f'<label>{html.escape(labels.ui("sort_by", lang))} <select data-sort>'
            f'<option value="">{html.escape(labels.ui("sort_subregion", lang))}</option>'
            f'<option value="name">{html.escape(labels.ui("sort_name", lang))}</option>'
            f'<option value="in_place">{html.escape(labels.ui("sort_in_place", lang))}</option></select></label>'
            f'<output class="kb-matrix-count" aria-live="polite"></output></form>')
    return myst.Html(f'{form}<div class="kb-matrix-wrap"><table class="kb-matrix" id="kb-matrix" '
                     f'data-count-label="{html.escape(labels.ui("matrix_shown", lang))}">'
                     f'<caption>{caption}</caption><thead><tr><th scope="col">{html.escape(labels.ui("col_country", lang))}'
                     f'</th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
                     f'<script src="../../_static/kb-matrix.js"></script>')


def legend(lang: str) -> myst.Markdown:
    items = [f"- {myst.text(status_text(s, lang))}: {myst.text(labels.ui(f'status_def_{s}', lang))}" for s in STATUSES]
    items.append(f"- {myst.text(labels.ui('us_mark', lang))}: {myst.text(labels.ui('us_assessment_short', lang))}")
    return myst.Markdown("\n".join(items))


def download_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame([{
        labels.ui("col_country", lang): labels.country(r.iso3, lang), labels.ui("col_iso3", lang): r.iso3,
        labels.ui("col_measure", lang): labels.label("measure", r.measure, lang),
        labels.ui("col_status", lang): labels.label("measure_status", r.status, lang),
        labels.ui("col_name", lang): r.name, labels.ui("col_year", lang): "" if pd.isna(r.year) else int(r.year),
        labels.ui("col_period", lang): r.period, labels.ui("col_description", lang): getattr(r, f"description_{lang}"),
        labels.ui("col_who_says", lang): labels.label("source_type", r.source_type, lang) if r.source_type else "",
        labels.ui("col_source", lang): r.source_id, labels.ui("col_source_date", lang): r.source_date,
        labels.ui("col_checked", lang): r.checked,
    } for r in table.itertuples(index=False)])


def export(lang: str) -> str:
    """The compare page's data: every state's measures and latest indicators, as JSON."""
    from . import compare

    return json.dumps(compare.records(lang), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
