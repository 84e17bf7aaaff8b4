"""Blocks for the theme chapters, the OAS activities page, the glossary and the references.

Regional charts compare member states; each says in its caption what the comparison can and
cannot show.
"""
from __future__ import annotations

import pandas as pd

from . import charts, data, labels, myst, practices
from .page import figure

AREA_ORDER = {a: i for i, a in enumerate(practices.AREAS)}


def regional_chart(which: str, lang: str) -> myst.Markdown:
    countries = data.table("countries")
    if which.startswith("p3_trend:"):
        part = which.split(":", 1)[1]
        made = charts.subregion_trend(data.table("policy_3p"), countries, part, lang)
        slug = f"p3-trend-{part}"
    else:
        makers = {
            "timeline": lambda: charts.timeline(data.table("oas_timeline"), lang),
            "criminalization": lambda: charts.criminalization(data.table("criminalization"), countries, lang),
            "palermo": lambda: charts.palermo(data.table("palermo"), countries, lang),
            "justice_states": lambda: charts.justice_by_state(
                data.table("glotip", indicator=["prosecuted", "convicted"], dimension="total"), countries, lang),
            "programmes": lambda: charts.programmes(data.table("oas_programmes"), countries, lang),
        }
        if which not in makers:
            raise ValueError(f"unknown regional chart {which!r}")
        made, slug = makers[which](), which.replace("_", "-")
    return figure(made, slug, lang=lang)


def _source_cell(row, sources: pd.DataFrame, lang: str) -> str:
    src = sources.loc[row["source_id"]]
    who = labels.label("source_type", row["source_type"], lang)
    year = str(int(row["source_year"])) if pd.notna(row["source_year"]) else labels.ui("undated", lang)
    title = myst.link(f"{who}, {year}", src["url"]) if src["url"] else myst.text(f"{who}, {year}")
    return title


def theme_practices(theme: str, lang: str) -> myst.Markdown:
    """Published practices mapped to a theme, by subregion and country, with their sources."""
    table = data.table("practices")
    published = table[(table["status"] == "published") & table["themes"].str.split(";").apply(lambda t: theme in t)]
    if published.empty:
        return myst.Markdown(myst.text(labels.ui("no_theme_practices", lang)))
    countries = charts.ordered_countries(data.table("countries"), lang)
    rank = {iso: i for i, iso in enumerate(countries["iso3"])}
    published = published.assign(_c=published["iso3"].map(rank), _a=published["area"].map(AREA_ORDER))
    sources = data.table("sources").set_index("source_id")
    header = [labels.ui(k, lang) for k in ("col_country", "col_practice", "col_area", "col_year", "col_who_says")]
    rows = []
    for _, r in published.sort_values(["_c", "_a", "practice_id"]).iterrows():
        name = myst.text(r["name"]) + (f" ({myst.text(r[f'name_{lang}'])})" if r[f"name_{lang}"] else "")
        # Each country page labels its practices section "<iso3>-practices" (MyST-NB pages do not
        # register heading anchors for cross-document links).
        rows.append([myst.ref(labels.country(r["iso3"], lang), f"{r['iso3'].lower()}-practices"),
                     name, myst.text(labels.label("area", r["area"], lang)),
                     str(int(r["year"])) if pd.notna(r["year"]) else "", _source_cell(r, sources, lang)])
    intro = myst.text(labels.ui("theme_practices_intro", lang, n=len(published), states=published["iso3"].nunique()))
    return myst.Markdown(intro + "\n\n" + myst.table(header, rows))


def area_catalogue(area: str, lang: str) -> myst.Markdown:
    """Every published practice of one questionnaire area, by subregion and country, in full."""
    table = data.table("practices")
    notes = data.table("practice_notes")
    sources = data.table("sources").set_index("source_id")
    mine = table[(table["area"] == area) & (table["status"] == "published")]
    blocks = []
    for iso in charts.ordered_countries(data.table("countries"), lang)["iso3"]:
        rows = mine[mine["iso3"] == iso]
        if rows.empty:
            continue
        blocks.append(f"**{myst.link(labels.country(iso, lang), f'/book/countries/{iso.lower()}.md')}**")
        for _, row in rows.iterrows():
            blocks.append(practices.practice_item(row, sources, notes, lang))
    missing = sorted(set(data.table("countries")["iso3"]) - set(mine["iso3"]))
    if missing:
        blocks.append(myst.text(labels.ui("area_missing", lang, states=", ".join(labels.country(i, lang) for i in missing))))
    return myst.Markdown("\n\n".join(blocks))


def glossary(lang: str) -> myst.Markdown:
    entries = data.table("glossary")
    sources = data.table("sources").set_index("source_id")
    blocks = []
    for term_id, parts in entries.groupby("term_id", sort=True):
        parts = parts.sort_values("part")
        term = parts.iloc[0][f"term_{lang}"]
        body = [myst.text(p[f"definition_{lang}"]) for _, p in parts.iterrows() if p["role"] == "definition"]
        refs = []
        for sid in dict.fromkeys(parts["source_id"]):
            src = sources.loc[sid]
            refs.append(myst.link(src["title"], src["url"]) if src["url"] else myst.text(src["title"]))
        blocks.append(f"**{myst.text(term)}**\n\n" + "\n\n".join(body) + "\n\n"
                      + f"*{myst.text(labels.ui('sources_label', lang))}:* " + "; ".join(refs))
    return myst.Markdown("\n\n---\n\n".join(blocks))


def references(lang: str) -> myst.Markdown:
    """Every source the knowledge base cites, by type of source."""
    sources = data.table("sources")
    blocks = []
    for kind in ("dataset", "intl_org", "government", "us_tip_report", "legal_database", "academic", "ngo", "news"):
        group = sources[sources["source_type"] == kind].sort_values("title")
        if group.empty:
            continue
        items = []
        for r in group.itertuples(index=False):
            title = myst.link(r.title, r.url) if r.url else myst.text(r.title)
            extra = [myst.text(r.publisher)] + ([myst.text(r.year)] if r.year else [])
            extra.append(myst.text(labels.ui("accessed_on", lang, date=labels.date(r.accessed, lang))))
            items.append(f"- {title}. " + ", ".join(extra) + ".")
        blocks.append(f"**{myst.text(labels.label('source_type', kind, lang))}** ({labels.number(len(group), lang)})\n\n"
                      + "\n".join(items))
    return myst.Markdown("\n\n".join(blocks))


def data_dates(lang: str) -> myst.Markdown:
    """What's new: the date of each dataset's data."""
    sources = data.table("sources").set_index("source_id")
    header = [labels.ui("col_dataset", lang), labels.ui("col_data_as_of", lang)]
    rows = []
    for sid in ("unodc-glotip-2025", "practices-compilation", "palermo-research-2026", "cho-3p-index",
                "kelley-heiss-tiers", "kelley-simmons-criminalization", "oas-2012-report"):
        rows.append([myst.text(labels.label("source_line", sid, lang)), myst.text(labels.date(sources.loc[sid, "as_of"], lang))])
    return myst.Markdown(myst.table(header, rows))


def key_figures(lang: str) -> myst.Markdown:
    """A handful of headline figures for the home page, each with its source."""
    countries = data.table("countries")
    replied = data.table("questionnaire_2012")
    published = data.table("practices", status="published")
    glotip = data.table("glotip", columns=["iso3", "year"], indicator="detected_victims")
    latest = int(glotip["year"].max())
    reporting = glotip[glotip["year"] == latest]["iso3"].nunique()
    dated = data.table("palermo")
    dated = int((dated["ratification_date"] != "").sum())
    cards = [
        (labels.number(len(countries), lang), labels.ui("kf_states", lang), "iso-cldr-names"),
        (labels.number(int((replied["replied_by_report"] == "yes").sum()), lang), labels.ui("kf_replied", lang), "oas-2012-report"),
        (labels.ui("kf_trained_number", lang), labels.ui("kf_trained", lang), "oas-2012-report"),
        (labels.number(len(published), lang), labels.ui("kf_practices", lang, states=published["iso3"].nunique()),
         "practices-compilation"),
        (labels.number(reporting, lang), labels.ui("kf_reporting", lang, year=latest), "unodc-glotip-2025"),
        (labels.number(dated, lang), labels.ui("kf_palermo", lang, total=len(countries)), "palermo-research-2026"),
    ]
    items = []
    for number, text, source in cards:
        body = (f"**{myst.text(number)}**\n\n{myst.text(text)}\n\n"
                + myst.text(labels.ui("source_one", lang, sources=labels.label("source_line", source, lang))))
        items.append(myst.fence("grid-item-card", "", {"class-card": "kb-figure-card"}, body, colons=3))
    return myst.Markdown(myst.fence("grid", "1 2 3 3", {"gutter": "2"}, "\n\n".join(items), colons=4))


def oas_events_table(lang: str) -> myst.Markdown:
    """The dated OAS activities of 2010-2012 as a table (the timeline chart's data)."""
    events = data.table("oas_timeline").sort_values(["date_start", "event_id"])
    sources = data.table("sources").set_index("source_id")
    header = [labels.ui(k, lang) for k in ("col_activity", "col_when", "col_countries", "col_status", "col_source")]
    rows = []
    for r in events.itertuples(index=False):
        when = _when(r.date_start, r.date_end, r.precision, lang)
        countries = ", ".join(labels.country(c, lang) for c in r.countries.split(";") if c)
        src = sources.loc[r.source_id]
        rows.append([myst.text(labels.label("oas_event", r.event, lang)), myst.text(when), myst.text(countries or "—"),
                     myst.text(labels.label("programme_status", r.status, lang)),
                     myst.link(labels.label("source_line", r.source_id, lang), src["url"]) if src["url"]
                     else myst.text(labels.label("source_line", r.source_id, lang))])
    return myst.Markdown(myst.table(header, rows))


def _when(start: str, end: str, precision: str, lang: str) -> str:
    if precision == "day":
        return labels.date(start, lang) if start == end else f"{labels.date(start, lang)} – {labels.date(end, lang)}"
    if precision == "season":
        return labels.ui("summer_2012", lang)
    if precision == "month":
        return labels.month(start, lang)
    return start if start == end else f"{start}–{end}"
