"""The compare page: two to four states side by side — measures in place and the latest
indicators — from a JSON export of the tables embedded in the page (so it works offline and from
a saved copy). ``compare.html?states=GTM,HND`` is a link to a comparison; without JavaScript the
page points to the matrix of measures."""
from __future__ import annotations

import html
import json

from . import data, labels, measures, myst, profile, rates, sentences, treaty
from .charts import layout


def records(lang: str) -> list[dict]:
    out = []
    countries = layout.ordered_countries(data.table("countries"), lang)
    table = measures.rows().set_index(["iso3", "measure"]) if measures.available() else None
    for c in countries.itertuples(index=False):
        country = profile.Country(c.iso3, lang)
        tier = profile.latest_tier(country)
        indicators = {
            "victims": sentences.latest_cell(country.latest("detected_victims"), lang),
            "prosecuted": sentences.latest_cell(country.latest("prosecuted"), lang),
            "convicted": sentences.latest_cell(country.latest("convicted"), lang),
            "tier": labels.ui("tier_in_report", lang, tier=labels.label("tier", tier[1], lang), year=tier[0])
            if tier else labels.ui("not_established", lang),
            "treaty": treaty.short_status(c.iso3, lang),
        }
        rate = rates.rate_for(country, country.latest("detected_victims"))
        if rate:
            indicators["victims"] += " · " + rate
        entry = {"iso3": c.iso3, "name": getattr(c, f"name_{lang}"), "indicators": indicators,
                 "subregion": labels.label("subregion", c.subregion, lang)}
        if table is not None:
            entry["measures"] = {
                m: {"status": table.loc[(c.iso3, m), "status"],
                    "text": measures.status_text(table.loc[(c.iso3, m), "status"], lang),
                    "when": measures.when(table.loc[(c.iso3, m)], lang),
                    "us": table.loc[(c.iso3, m), "source_type"] == measures.US_ASSESSMENT}
                for m in measures.codes()}
        out.append(entry)
    return out


def page(lang: str) -> myst.Html:
    """The form (4 menus), the empty comparison table the script fills, and the data."""
    countries = layout.ordered_countries(data.table("countries"), lang)
    options = "".join(f'<option value="{c.iso3}">{html.escape(getattr(c, f"name_{lang}"))}</option>'
                      for c in countries.itertuples(index=False))
    menus = "".join(
        f'<label class="kb-compare-pick"><span>{html.escape(labels.ui("compare_state_n", lang, n=i))}'
        f'{"" if i <= 2 else " " + html.escape(labels.ui("optional", lang))}</span>'
        f'<select name="s{i}"><option value="">—</option>{options}</select></label>' for i in range(1, 5))
    # Lists, not objects: the rows keep their order through JSON.
    rows = {"indicators": [[k, labels.ui(f"compare_row_{k}", lang)]
                           for k in ("victims", "prosecuted", "convicted", "tier", "treaty")]}
    if measures.available():
        rows["measures"] = [[m, labels.label("measure", m, lang)] for m in measures.codes()]
    strings = {"rows": rows, "pick_two": labels.ui("compare_pick_two", lang), "us": labels.ui("us_assessment_short", lang), "us_mark": labels.ui("us_mark", lang),
               "indicators": labels.ui("compare_indicators", lang), "measures": labels.ui("h_measures", lang),
               "country_page": labels.ui("compare_country_page", lang)}
    payload = json.dumps({"states": records(lang), "strings": strings}, ensure_ascii=False, sort_keys=True,
                         separators=(",", ":")).replace("</", "<\\/")
    matrix = html.escape(labels.ui("compare_no_js", lang))
    return myst.Html(
        f'<noscript><p class="kb-noscript">{matrix} <a href="measures/index.html">{html.escape(labels.ui("h_matrix", lang))}</a></p></noscript>'
        f'<form class="kb-compare-form" id="kb-compare-form" hidden>{menus}</form>'
        f'<div id="kb-compare-out" class="kb-table-wrap" aria-live="polite"></div>'
        f'<script type="application/json" id="kb-compare-data">{payload}</script>'
        f'<script src="../_static/kb-compare.js"></script>')
