"""Blocks for the theme chapters, the practice catalogues, the OAS activities page, the glossary
and the references.

Regional charts compare member states; each says in its caption what the comparison can and
cannot show.
"""
from __future__ import annotations

import pandas as pd

from . import data, labels, measures, myst, practices, rates, sentences, sources
from .charts import layout, policy, regional, treaty
from .page import figure

AREA_ORDER = {a: i for i, a in enumerate(practices.AREAS)}

# Which measures each theme chapter shows across the region.
THEME_MEASURES = {
    "legal": ("law_all_forms", "non_punishment"),
    "prosecution": ("law_all_forms", "prosecution_unit", "police_unit"),
    "protection": ("referral_mechanism", "shelters", "hotline", "residence_relief", "non_punishment", "compensation"),
    "cooperation": ("coordinating_body", "action_plan"),
}


def regional_chart(which: str, lang: str) -> myst.Markdown:
    countries = data.table("countries")
    if which.startswith("p3_trend:"):
        part = which.split(":", 1)[1]
        made = policy.subregion_trend(data.table("policy_3p"), countries, part, lang)
        slug = f"p3-trend-{part}"
    else:
        makers = {
            "timeline": lambda: regional.timeline(data.table("oas_timeline"), lang),
            "criminalization": lambda: regional.criminalization(data.table("criminalization"), countries, lang),
            "palermo": lambda: treaty.regional(data.table("palermo"), countries, lang),
            "justice_states": lambda: regional.justice_by_state(
                data.table("glotip", indicator=["prosecuted", "convicted"], dimension="total"), countries, lang),
            "programmes": lambda: regional.programmes(data.table("oas_programmes"), countries, lang),
            "tiers": lambda: regional.tiers_by_year(data.table("tip_tiers"), countries, lang),
        }
        if which not in makers:
            raise ValueError(f"unknown regional chart {which!r}")
        made, slug = makers[which](), which.replace("_", "-")
    return figure(made, slug, lang)


def _country_link(iso3: str, lang: str, anchor: str = "") -> str:
    return myst.page_link(labels.country(iso3, lang), f"countries/{iso3.lower()}",
                          f"{iso3.lower()}-{anchor}" if anchor else "")


def _who(row, lang: str) -> str:
    who = sources.kind(row["source_type"], row["iso3"], lang)
    year = str(int(row["source_year"])) if pd.notna(row["source_year"]) else labels.ui("undated", lang)
    return sources.link(row["source_id"], lang, f"{who}, {year}")


def theme_practices(theme: str, lang: str) -> myst.Markdown:
    """Published practices mapped to a theme, by subregion and country, with their sources."""
    table = data.table("practices")
    published = table[(table["status"] == "published") & table["themes"].str.split(";").apply(lambda t: theme in t)]
    if published.empty:
        return myst.Markdown(myst.text(labels.ui("no_theme_practices", lang)))
    countries = layout.ordered_countries(data.table("countries"), lang)
    rank = {iso: i for i, iso in enumerate(countries["iso3"])}
    published = published.assign(_c=published["iso3"].map(rank), _a=published["area"].map(AREA_ORDER))
    header = [labels.ui(k, lang) for k in ("col_country", "col_practice", "col_area", "col_year", "col_who_says")]
    rows = []
    for _, r in published.sort_values(["_c", "_a", "practice_id"]).iterrows():
        name = practices.display_name(r, lang, style="italic")
        rows.append([_country_link(r["iso3"], lang, "practices"), name, myst.text(labels.label("area", r["area"], lang)),
                     str(int(r["year"])) if pd.notna(r["year"]) else "", _who(r, lang)])
    intro = myst.text(labels.ui("theme_practices_intro", lang, n=len(published), states=published["iso3"].nunique()))
    return myst.Markdown(intro + "\n\n" + myst.table(header, rows, classes=["kb-wide"]))


def theme_measures(theme: str, lang: str) -> myst.Markdown:
    """The theme's measures across the region: how many states have each (a chart), and every
    state's status (a table linking to the evidence)."""
    codes = THEME_MEASURES[theme]
    table = measures.rows(measure=list(codes))
    made = regional.measures_status(table, codes, lang)
    countries = layout.ordered_countries(data.table("countries"), lang)
    indexed = table.set_index(["iso3", "measure"])
    header = [labels.ui("col_country", lang)] + [labels.label("measure", m, lang) for m in codes]
    rows = []
    us = myst.text(labels.ui("us_mark", lang))
    for c in countries.itertuples(index=False):
        rows.append([_country_link(c.iso3, lang, "measures")] + [
            measures.link(measures.status_text(indexed.loc[(c.iso3, m), "status"], lang), m, c.iso3)
            + (f" {us}" if measures.us_assessed(indexed.loc[(c.iso3, m)]) else "") for m in codes])
    legend = myst.text(labels.ui("us_mark_legend", lang, mark=labels.ui("us_mark", lang)))
    return figure(made, f"measures-{theme}", lang) + myst.Markdown(myst.table(header, rows, classes=["kb-wide"])
                                                                  + "\n\n" + legend)


def area_catalogue(area: str, lang: str) -> myst.Markdown:
    """Every published practice of one questionnaire area, by subregion, one section per state
    (so that a search result lands on the state's practices, not at the top of the page)."""
    table = data.table("practices")
    notes = data.table("practice_notes")
    sources_table = data.table("sources").set_index("source_id")
    mine = table[(table["area"] == area) & (table["status"] == "published")]
    countries = layout.ordered_countries(data.table("countries"), lang)
    blocks, current = [], None
    for c in countries.itertuples(index=False):
        rows = mine[mine["iso3"] == c.iso3]
        if rows.empty:
            continue
        if c.subregion != current:
            current = c.subregion
            blocks.append(f"## {myst.text(labels.label('subregion', current, lang))}")
        blocks.append(f"({practices.catalogue_label(area, c.iso3)})=\n### {myst.text(getattr(c, f'name_{lang}'))}")
        for _, row in rows.iterrows():
            blocks.append(practices.practice_item(row, sources_table, notes, lang))
        blocks.append(myst.page_link(labels.ui("country_page_link", lang, country=getattr(c, f"name_{lang}")),
                                     f"countries/{c.iso3.lower()}", f"{c.iso3.lower()}-practices"))
    missing = [i for i in countries["iso3"] if i not in set(mine["iso3"])]
    if missing:
        blocks.insert(0, myst.text(labels.ui("area_missing", lang,
                                             states=labels.join([labels.country(i, lang) for i in missing], lang))))
    return myst.Markdown("\n\n".join(blocks))


def rates_table(indicator: str, lang: str) -> myst.Markdown:
    """Each state's latest count of an indicator with its rate per 100,000 inhabitants. No rate is
    computed from a suppressed count; states are listed by subregion and name, not ranked."""
    countries = layout.ordered_countries(data.table("countries"), lang)
    glotip = data.table("glotip", indicator=indicator)
    found = rates.table(glotip, countries, indicator).set_index("iso3")
    header = [labels.ui(k, lang) for k in ("col_country", "col_latest", "col_rate", "col_population")]
    rows = []
    for c in countries.itertuples(index=False):
        if c.iso3 not in found.index:
            continue
        r = found.loc[c.iso3]
        rows.append([_country_link(c.iso3, lang, "victims" if indicator == "detected_victims" else "justice"),
                     myst.text(sentences.latest_cell(r["latest"], lang)),
                     myst.text(rates.formatted(r["rate"], lang)) if pd.notna(r["rate"]) else "—",
                     labels.number(int(r["population"]), lang) if pd.notna(r["population"]) else "—"])
    caption = labels.ui(f"rates_caption_{indicator}", lang)
    return myst.Markdown(myst.text(caption) + "\n\n" + myst.table(header, rows, classes=["kb-wide"]) + "\n\n"
                         + myst.text(sources.line(sorted(set(glotip["source_id"])) + ["worldbank-sp-pop-totl"], lang)))


def glossary_label(term_id: str) -> str:
    """The label of a term's entry in the glossary."""
    return f"glossary-{term_id}"


def glossary(lang: str) -> myst.Markdown:
    entries = data.table("glossary")
    blocks = []
    for term_id, parts in entries.groupby("term_id", sort=True):
        parts = parts.sort_values("part")
        term = parts.iloc[0][f"term_{lang}"]
        body = [myst.text(p[f"definition_{lang}"]) for _, p in parts.iterrows() if p["role"] == "definition"]
        refs = [sources.link(sid, lang) for sid in dict.fromkeys(parts["source_id"])]
        blocks.append(f"({glossary_label(term_id)})=\n### {myst.text(term)}\n\n" + "\n\n".join(body) + "\n\n"
                      + f"*{myst.text(labels.ui('sources_label', lang))}:* " + "; ".join(refs))
    return myst.Markdown("\n\n".join(blocks))


def references(lang: str) -> myst.Markdown:
    """Every source the knowledge base cites, by type of source."""
    table = data.table("sources")
    blocks = []
    for kind in ("dataset", "intl_org", "government", "us_tip_report", "legal_database", "academic", "ngo", "news"):
        group = table[table["source_type"] == kind]
        if group.empty:
            continue
        group = group.assign(_k=group["title"].map(layout.collation_key)).sort_values("_k")
        items = [f"- {sources.entry(sid, lang)}" for sid in group["source_id"]]
        blocks.append(f"### {myst.text(labels.label('source_type', kind, lang))}\n\n"
                      + myst.text(labels.ui_n("n_sources", len(group), lang)) + "\n\n" + "\n".join(items))
    return myst.Markdown("\n\n".join(blocks))


def oas_events_table(lang: str) -> myst.Markdown:
    """The dated OAS activities of 2010-2012 as a table (the timeline chart's data)."""
    events = data.table("oas_timeline").sort_values(["date_start", "event_id"])
    header = [labels.ui(k, lang) for k in ("col_activity", "col_when", "col_countries", "col_status", "col_source")]
    rows = []
    for r in events.itertuples(index=False):
        names = sorted((labels.country(c, lang) for c in r.countries.split(";") if c), key=layout.collation_key)
        countries = labels.join(names, lang)
        rows.append([myst.text(labels.label("oas_event", r.event, lang)), myst.text(_when(r.date_start, r.date_end, r.precision, lang)),
                     myst.text(countries or "—"), myst.text(labels.label("programme_status", r.status, lang)),
                     sources.link(r.source_id, lang, sources.short(r.source_id, lang))])
    return myst.Markdown(myst.table(header, rows, classes=["kb-wide"]))


def _when(start: str, end: str, precision: str, lang: str) -> str:
    if precision == "day":
        return labels.date_span(start, end, lang)
    if precision == "season":
        return labels.ui("summer_2012", lang)
    if precision == "month":
        return labels.month(start, lang)
    return start if start == end else f"{start}–{end}"


def measures_changes(lang: str) -> myst.Markdown:
    """Rows of the measures table added or changed in the latest data update."""
    changes = data.table("measure_changes")
    if changes.empty:
        return myst.Markdown(myst.text(labels.ui("no_recent_changes", lang)))
    latest = changes["updated"].max()
    recent = changes[changes["updated"] == latest]
    if (recent["change"] == "added").all() and len(recent) == len(measures.rows()):
        return myst.Markdown(myst.text(labels.ui("measures_first_published", lang, date=labels.date(latest, lang),
                                                 n=labels.number(len(recent), lang))))
    countries = layout.ordered_countries(data.table("countries"), lang)
    rank = {iso: i for i, iso in enumerate(countries["iso3"])}
    recent = recent.assign(_c=recent["iso3"].map(rank)).sort_values(["_c", "measure"])
    header = [labels.ui(k, lang) for k in ("col_country", "col_measure", "col_change", "col_status")]
    rows = [[_country_link(r.iso3, lang, "measures"), measures.link(labels.label("measure", r.measure, lang),
                                                                   r.measure, r.iso3),
             myst.text(labels.label("change_kind", r.change, lang)),
             myst.text(measures.status_text(r.status, lang))] for r in recent.itertuples(index=False)]
    intro = labels.ui_n("recent_changes_intro", len(recent), lang, date=labels.date(latest, lang))
    return myst.Markdown(myst.text(intro) + "\n\n" + myst.table(header, rows, classes=["kb-wide"]))
