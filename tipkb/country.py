"""The standard profile of a member state: card, summary, charts, practices, OAS activities, sources.

Every function takes the ISO code and returns a MyST block in the page's language; the country
pages are the same short Markdown file 35 times, with different words around these calls.
"""
from __future__ import annotations

import pandas as pd

from . import charts, data, labels, myst, practices
from . import lang as langs
from . import series as S
from .page import csv_bytes, figure, save_asset

CHARTS = ("victims", "justice", "forms", "citizenship", "p3", "tiers")


def name(iso3: str, lang: str | None = None) -> str:
    return labels.country(iso3, lang or langs.current())


def _span(years) -> str:
    years = sorted({int(y) for y in years})
    return labels.year_span(years) if years else ""


def latest_tier(iso3: str) -> tuple[int, str] | None:
    rows = data.table("tip_tiers", iso3=iso3)
    if rows.empty:
        return None
    last = rows.sort_values("year").iloc[-1]
    return int(last["year"]), last["tier"]


def palermo_status(iso3: str, lang: str) -> str:
    row = data.table("palermo", iso3=iso3).iloc[0]
    sources = data.table("sources").set_index("source_id")
    parts = []
    if row["ratification_date"]:
        key = {"accession": "palermo_accession", "ratification": "palermo_ratification"}.get(row["action"], "palermo_deposit")
        parts.append(labels.ui(key, lang, date=labels.date(row["ratification_date"], lang)))
        if row["action_basis"] == "inferred":
            parts.append(labels.ui("palermo_inferred", lang))
    else:
        parts.append(labels.ui("palermo_no_date", lang))
        if row["action"] == "ratification":
            parts.append(labels.ui("palermo_ratified_undated", lang))
    if row["signature_date"]:
        parts.append(labels.ui("palermo_signed", lang, date=labels.date(row["signature_date"], lang)))
    src = sources.loc[row["source_id"]]
    ref = myst.link(src["title"], src["url"]) if src["url"] else myst.text(src["title"])
    return " ".join(myst.text(p) for p in parts) + f" ({myst.text(labels.ui('source_word', lang))}: {ref})"


def programmes_list(iso3: str, lang: str) -> list[str]:
    rows = data.table("oas_programmes", iso3=iso3)
    items = []
    for row in rows.itertuples(index=False):
        years = ""
        if pd.notna(row.year_start):
            years = str(row.year_start) if row.year_start == row.year_end else f"{row.year_start}–{row.year_end}"
        text = labels.label("programme", row.programme, lang) + " — " + labels.label("programme_status", row.status, lang)
        items.append(myst.text(text + (f" ({years})" if years else "")))
    return items


def coverage_line(iso3: str, lang: str) -> str:
    parts = []
    for table, key in (("glotip", "cov_unodc"), ("policy_3p", "cov_3p"), ("tip_tiers", "cov_tiers"),
                       ("criminalization", "cov_crim")):
        years = data.table(table, iso3=iso3)["year"]
        span = ", ".join(str(int(y)) for y in sorted(set(years))) if table == "criminalization" else _span(years)
        parts.append(labels.ui(key, lang, years=span or labels.ui("no_data_short", lang)))
    return " · ".join(myst.text(p) for p in parts)


def country_data_file(iso3: str, lang: str) -> str:
    """One CSV with every figure the page shows for the state, in long form, with sources."""
    rows = []
    glotip = data.table("glotip", iso3=iso3)
    for r in glotip.itertuples(index=False):
        category = (labels.label("form", r.category, lang) if r.dimension in ("total", "form")
                    else labels.label("place", r.category, lang) if r.category.islower() else labels.country(r.category, lang))
        rows.append({"dataset": "glotip", "measure": labels.label("indicator", r.indicator, lang),
                     "breakdown": labels.label("dimension", r.dimension, lang), "category": category,
                     "sex": labels.label("sex", r.sex, lang), "age": labels.label("age", r.age, lang),
                     "year": int(r.year), "value": r.value, "source_id": r.source_id})
    for r in data.table("policy_3p", iso3=iso3).itertuples(index=False):
        for part in ("prosecution", "protection", "prevention", "total"):
            value = getattr(r, part)
            rows.append({"dataset": "policy_3p", "measure": labels.label("p3", part, lang), "year": int(r.year),
                         "value": "" if pd.isna(value) else int(value), "source_id": r.source_id})
    for r in data.table("tip_tiers", iso3=iso3).itertuples(index=False):
        rows.append({"dataset": "tip_tiers", "measure": labels.ui("col_tier", lang), "year": int(r.year),
                     "value": labels.label("tier", r.tier, lang), "source_id": r.source_id})
    for r in data.table("criminalization", iso3=iso3).itertuples(index=False):
        rows.append({"dataset": "criminalization", "measure": labels.label("table", "criminalization", lang),
                     "year": int(r.year), "value": labels.label("crim_level", r.level, lang), "source_id": r.source_id})
    columns = ["dataset", "measure", "breakdown", "category", "sex", "age", "year", "value", "source_id"]
    frame = pd.DataFrame(rows, columns=columns).fillna("")
    return save_asset(csv_bytes(frame), f"{iso3.lower()}-all-data.csv", lang)


def card(iso3: str) -> myst.Markdown:
    """Header card: subregion, 2012 questionnaire, OAS programmes, latest tier, Palermo, coverage."""
    lang = langs.current()
    country = data.table("countries", iso3=iso3).iloc[0]
    replied = data.table("questionnaire_2012", iso3=iso3).iloc[0]["replied_by_report"]
    tier = latest_tier(iso3)
    tier_text = (labels.ui("tier_in_report", lang, tier=labels.label("tier", tier[1], lang), year=tier[0])
                 if tier else labels.ui("no_tier", lang))
    programmes = programmes_list(iso3, lang)
    fields = [
        (labels.ui("field_subregion", lang), myst.text(labels.label("subregion", country["subregion"], lang))),
        (labels.ui("field_questionnaire", lang), myst.text(labels.label("replied", replied, lang))),
        (labels.ui("field_programmes", lang), "; ".join(programmes) if programmes else myst.text(labels.ui("no_programme", lang))),
        (labels.ui("field_tier", lang), myst.text(tier_text)),
        (labels.ui("field_palermo", lang), palermo_status(iso3, lang)),
        (labels.ui("field_coverage", lang), coverage_line(iso3, lang) + " · " +
         myst.link(labels.ui("country_data_download", lang, country=name(iso3, lang)), "/" + country_data_file(iso3, lang))),
    ]
    body = "\n".join(f":{myst.text(k)}: {v}" for k, v in fields)
    blocks = [myst.fence("card", "", {"class-card": "kb-country-card"}, body, colons=4)]
    note = country[f"membership_note_{lang}"]
    if note:
        sources = data.table("sources").set_index("source_id")
        src = sources.loc[country["membership_source_id"]]
        blocks.append(myst.fence("note", "", {}, myst.text(note) + " (" + myst.link(src["title"], src["url"]) + ")"))
    return myst.Markdown("\n\n".join(blocks))


def chart(iso3: str, which: str) -> myst.Markdown:
    """One of the standard charts for a country, or one sentence when the state has no data for it."""
    lang = langs.current()
    country = name(iso3, lang)
    if which in ("victims", "justice", "forms", "citizenship"):
        rows = data.table("glotip", iso3=iso3)
        made = {"victims": lambda: charts.victims(rows, country, lang),
                "justice": lambda: charts.justice(rows, country, lang),
                "forms": lambda: charts.forms(rows, country, lang),
                "citizenship": lambda: charts.citizenship(rows, iso3, country, lang)}[which]()
    elif which == "p3":
        made = charts.p3(data.table("policy_3p", iso3=iso3), data.table("policy_3p"), country, lang)
    elif which == "tiers":
        made = charts.tiers(data.table("tip_tiers", iso3=iso3), country, lang,
                            data.table("tip_tier_changes", iso3=iso3))
    else:
        raise ValueError(f"unknown chart {which!r}; expected one of {CHARTS}")
    return figure(made, f"{iso3.lower()}-{which}", labels.ui(f"no_data_{which}", lang, country=country), lang)


def _latest(rows, **key):
    status = S.year_status(S.pick(rows, **key))
    return status, S.latest(status)


def summary(iso3: str) -> myst.Markdown:
    """What the data shows, in plain sentences; each one restates a figure shown on the page."""
    lang = langs.current()
    country = name(iso3, lang)
    rows = data.table("glotip", iso3=iso3)
    say = []
    if rows.empty:
        say.append(labels.ui("sum_no_unodc", lang, country=country))
    else:
        say.append(labels.ui("sum_unodc_years", lang, country=country, span=_span(rows["year"])))
        total, latest = _latest(rows, indicator="detected_victims", dimension="total", category="total", sex="total", age="total")
        if latest is not None:
            counted = total[total["status"] == S.VALUE]
            peak = counted.loc[counted["count"].idxmax()]
            say.append(labels.ui("sum_victims", lang, n=labels.number(int(latest["count"]), lang), year=int(latest["year"]),
                                 peak=labels.number(int(peak["count"]), lang), peak_year=int(peak["year"])))
        for indicator in ("prosecuted", "convicted"):
            _, last = _latest(rows, indicator=indicator, dimension="total", category="total", sex="total", age="total")
            if last is not None:
                say.append(labels.ui(f"sum_{indicator}", lang, n=labels.number(int(last["count"]), lang), year=int(last["year"])))
        lead = _leading_form(rows)
        if lead:
            say.append(labels.ui("sum_form", lang, year=lead[0], form=labels.label("form", lead[1], lang).lower()))
        say.append(labels.ui("sum_detection_caveat", lang))
    scores = data.table("policy_3p", iso3=iso3).dropna(subset=["total"]).sort_values("year")
    if scores.empty:
        say.append(labels.ui("sum_no_3p", lang, country=country))
    else:
        first, last = scores.iloc[0], scores.iloc[-1]
        median = data.table("policy_3p", year=int(last["year"]))["total"].median()
        say.append(labels.ui("sum_3p", lang, country=country, y0=int(first["year"]), v0=int(first["total"]),
                             y1=int(last["year"]), v1=int(last["total"]), median=labels.number(float(median), lang)))
    tier = latest_tier(iso3)
    say.append(labels.ui("sum_tier", lang, country=country, year=tier[0], tier=labels.label("tier", tier[1], lang))
               if tier else labels.ui("sum_no_tier", lang, country=country))
    published = practices.counts(lang)
    n = int(published.loc[iso3].sum()) if iso3 in published.index else 0
    say.append(labels.ui("sum_practices", lang, n=n))
    return myst.Markdown(" ".join(myst.text(s) for s in say))


def _leading_form(rows) -> tuple[int, str] | None:
    """(year, form) when one form clearly had the most detected victims in the latest year with form data."""
    forms = S.pick(rows, indicator="detected_victims", dimension="form", sex="total", age="total")
    forms = forms[forms["category"] != "total"]
    if forms.empty:
        return None
    year = int(forms["year"].max())
    statuses = {form: S.year_status(group).iloc[0] for form, group in S.pick(forms, year=year).groupby("category")}
    counted = {f: int(s["count"]) for f, s in statuses.items() if s["status"] == S.VALUE}
    if not counted or any(s["status"] == S.AMBIGUOUS for s in statuses.values()):
        return None
    best = max(counted, key=counted.get)
    others = [c for f, c in counted.items() if f != best]
    # Suppressed forms are below 5; the leader must beat every known count and 4.
    if counted[best] < 5 or any(c >= counted[best] for c in others):
        return None
    return year, best


def oas_activities(iso3: str) -> myst.Markdown:
    lang = langs.current()
    rows = data.table("oas_programmes", iso3=iso3)
    if rows.empty:
        return myst.Markdown(myst.text(labels.ui("no_programme_long", lang, country=name(iso3, lang))))
    items = []
    for row in rows.itertuples(index=False):
        head = labels.label("programme", row.programme, lang) + " — " + labels.label("programme_status", row.status, lang)
        note = getattr(row, f"note_{lang}")
        items.append(f"- **{myst.text(head)}**" + (f": {myst.text(note)}" if note else ""))
    tail = myst.text(labels.ui("oas_source_note", lang))
    return myst.Markdown("\n".join(items) + "\n\n" + tail)


def sources(iso3: str) -> myst.Markdown:
    """The sources this page draws on, with the date of their data."""
    lang = langs.current()
    table = data.table("sources").set_index("source_id")
    used = ["oas-2012-report", "unodc-glotip-2025", "cho-3p-index", "kelley-heiss-tiers",
            "kelley-simmons-criminalization", data.table("palermo", iso3=iso3).iloc[0]["source_id"]]
    mine = data.table("practices", iso3=iso3)
    used += list(mine["source_id"]) + list(data.table("practice_notes", practice_id=list(mine["practice_id"]))["source_id"])
    seen, items = set(), []
    for sid in used:
        if sid in seen:
            continue
        seen.add(sid)
        src = table.loc[sid]
        ref = myst.link(src["title"], src["url"]) if src["url"] else myst.text(src["title"])
        extra = [myst.text(src["publisher"])]
        if src["as_of"]:
            extra.append(myst.text(labels.ui("data_as_of", lang, date=labels.date(src["as_of"], lang))))
        extra.append(myst.text(labels.ui("accessed_on", lang, date=labels.date(src["accessed"], lang))))
        items.append(f"- {ref}. " + ". ".join(extra) + ".")
    return myst.Markdown("\n".join(items))
