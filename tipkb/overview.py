"""Blocks that look across all member states: key figures, the countries table, practice counts
and the dates of the data."""
from __future__ import annotations

import html

import pandas as pd

from . import data, labels, measures, myst, practices, sentences, sources
from . import series as S
from .charts import layout


def countries_table(lang: str) -> myst.Markdown:
    """Key facts of the 35 states (ordered by subregion, then by name in the page's language):
    few columns, so that the table fits a reading column and scrolls in its own box on a phone."""
    countries = layout.ordered_countries(data.table("countries"), lang)
    glotip = data.table("glotip", indicator="detected_victims")
    tiers = data.table("tip_tiers").sort_values("year").groupby("iso3").last()
    header = [labels.ui(k, lang) for k in ("col_country", "kf_victims", "col_tier_latest", "kf_measures",
                                           "col_practices")]
    rows = []
    for r in countries.itertuples(index=False):
        latest = S.latest_reported(S.pick(glotip, iso3=r.iso3), "detected_victims")
        tier = (labels.ui("tier_in_report", lang, tier=labels.label("tier", tiers.loc[r.iso3, "tier"], lang),
                          year=int(tiers.loc[r.iso3, "year"])) if r.iso3 in tiers.index else labels.ui("not_established", lang))
        rows.append([
            myst.link(getattr(r, f"name_{lang}"), f"/book/countries/{r.iso3.lower()}.md"),
            myst.text(sentences.latest_cell(latest, lang)),
            myst.text(tier),
            myst.text(measures.count_phrase(r.iso3, lang)) if measures.available() else "",
            labels.number(practices.published_count(r.iso3), lang),
        ])
    if not measures.available():
        header.pop(3)
        rows = [row[:3] + row[4:] for row in rows]
    return myst.Markdown(myst.table(header, rows, classes=["kb-wide"]))


def practice_counts(lang: str, link_prefix: str = "") -> myst.Html:
    """Published practices per state and questionnaire area, as an HTML table (readable and
    selectable at any width, unlike a picture of a grid)."""
    counts = practices.counts(lang)
    countries = layout.ordered_countries(data.table("countries"), lang)
    areas = list(counts.columns)
    head = "".join(f'<th scope="col">{html.escape(labels.label("area", a, lang))}</th>' for a in areas)
    body = []
    for c in countries.itertuples(index=False):
        cells = "".join(
            f'<td class="kb-count-{min(int(counts.loc[c.iso3, a]) if c.iso3 in counts.index else 0, 3)}">'
            f'{labels.number(int(counts.loc[c.iso3, a]) if c.iso3 in counts.index else 0, lang)}</td>' for a in areas)
        body.append(f'<tr><th scope="row"><a href="{html.escape(link_prefix)}{c.iso3.lower()}.html#{c.iso3.lower()}-practices" '
                    f'data-kb-country="{c.iso3}">{html.escape(getattr(c, f"name_{lang}"))}</a></th>{cells}</tr>')
    caption = html.escape(labels.ui("practice_counts_caption", lang))
    return myst.Html(f'<div class="kb-table-wrap"><table class="kb-counts"><caption>{caption}</caption>'
                     f'<thead><tr><th scope="col">{html.escape(labels.ui("col_country", lang))}</th>{head}</tr></thead>'
                     f'<tbody>{"".join(body)}</tbody></table></div>')


def key_figures(lang: str) -> myst.Markdown:
    """A handful of headline figures for the home page, each with its source."""
    countries = data.table("countries")
    replied = data.table("questionnaire_2012")
    published = data.table("practices", status="published")
    glotip = data.table("glotip", indicator="detected_victims", **S.TOTAL)
    latest_year = int(glotip["year"].max())

    def counted(iso3: str) -> bool:  # a national count, not only suppressed or breakdown rows
        st = S.national(S.pick(glotip, iso3=iso3), "detected_victims")
        return not st[(st["year"] == latest_year) & (st["status"] == S.VALUE)].empty

    national = [iso for iso in countries["iso3"] if counted(iso)]
    palermo = data.table("palermo")
    parties = int((palermo["party"] == "yes").sum())
    cards = [
        (labels.number(len(countries), lang), labels.ui("kf_states", lang), "iso-cldr-names"),
        (labels.number(int((replied["replied_by_report"] == "yes").sum()), lang), labels.ui("kf_replied", lang),
         "oas-2012-report"),
        (labels.number(len(national), lang), labels.ui("kf_reporting", lang, year=latest_year), "unodc-glotip-2025"),
        (labels.number(parties, lang), labels.ui("kf_palermo", lang, total=len(countries)), "palermo-research-2026"),
        (labels.number(len(published), lang), labels.ui("kf_practices", lang, states=published["iso3"].nunique()),
         "practices-compilation"),
    ]
    if measures.available():
        plans = measures.rows(measure="action_plan")
        cards.append((labels.number(int((plans["status"] == "in_place").sum()), lang),
                      labels.ui("kf_action_plans", lang, total=len(countries)), "measures-compilation"))
    items = []
    for number, text, source in cards:
        body = (f"**{myst.text(number)}**\n\n{myst.text(text)}\n\n"
                + myst.text(labels.ui("source_one", lang, sources=sources.short(source, lang))))
        items.append(myst.fence("grid-item-card", "", {"class-card": "kb-figure-card"}, body, colons=3))
    return myst.Markdown(myst.fence("grid", "1 2 3 3", {"gutter": "2"}, "\n\n".join(items), colons=4))


# The tables readers ask "how current is this?" about, in the order the home page lists them.
DATASETS = ("glotip", "tip_tiers", "palermo", "measures", "practices", "policy_3p", "criminalization", "population",
            "oas_programmes")


def data_dates(lang: str) -> myst.Markdown:
    """Per dataset: the period it covers and the date of its data (the dataset source's
    ``as_of``, from the data package's ``x-source``), so an old series is never read as current."""
    resources = {r["name"]: r for r in data.package()["resources"]}
    header = [labels.ui(k, lang) for k in ("col_dataset", "col_period", "col_data_as_of")]
    rows = []
    for name in DATASETS:
        if name not in resources:
            continue
        frame = data.table(name, columns=[c for c in ("year",) if c in data.table_columns(name)] or None)
        years = frame["year"].dropna().astype(int) if "year" in frame else pd.Series(dtype=int)
        as_of = sources.row(resources[name]["x-source"])["as_of"]
        rows.append([myst.text(labels.label("table", name, lang)),
                     myst.text(labels.year_span(years) if len(years) else "—"),
                     myst.text(labels.date(as_of, lang) if as_of else "—")])
    return myst.Markdown(myst.table(header, rows))
