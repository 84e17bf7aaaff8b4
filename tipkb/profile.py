"""The profile of a member state: the whole body of a country page from one call.

A country page is its title, whatever a contributor writes about that state, and
``kb.country_profile("ARG")``. The sections, their order and their headings are defined once here
(:data:`SECTIONS`) and translated once in the codebook; tipkb.outputsections turns the headings
into real sections of the page, with the same anchors (``arg-victims``) in every language.
Adding a chart to every country page is one entry in :data:`CHARTS` plus its labels.
"""
from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from . import data, labels, measures, myst, practices, rates, sentences, sources, treaty
from . import lang as langs
from . import series as S
from .charts import counts, policy, tiers
from .page import csv_bytes, figure, save_asset, xlsx_bytes


class Country:
    """One state's data, read once for its page."""

    def __init__(self, iso3: str, lang: str):
        self.iso3, self.lang = iso3, lang

    @cached_property
    def name(self) -> str:
        return labels.country(self.iso3, self.lang)

    def anchor(self, key: str) -> str:
        return f"{self.iso3.lower()}-{key}"

    @cached_property
    def glotip(self) -> pd.DataFrame:
        return data.table("glotip", iso3=self.iso3)

    @cached_property
    def flagged(self) -> pd.DataFrame:
        return data.table("data_notes", iso3=self.iso3)

    @cached_property
    def tiers(self) -> pd.DataFrame:
        return data.table("tip_tiers", iso3=self.iso3).sort_values("year")

    @cached_property
    def population(self) -> pd.DataFrame:
        return data.table("population", iso3=self.iso3)

    def latest(self, indicator: str) -> S.Latest | None:
        return S.latest_reported(self.glotip, indicator)


@dataclass(frozen=True)
class CountryChart:
    heading: str                                   # codebook ui key of the section heading
    make: Callable[[Country], object]              # -> Chart | NoChart


CHARTS: dict[str, CountryChart] = {
    "victims": CountryChart("h_victims", lambda c: counts.victims(c.glotip, c.name, c.lang, c.flagged)),
    "justice": CountryChart("h_justice", lambda c: counts.justice(c.glotip, c.name, c.lang, c.flagged)),
    "forms": CountryChart("h_forms", lambda c: counts.forms(c.glotip, c.name, c.lang, c.flagged)),
    "citizenship": CountryChart("h_citizenship",
                                lambda c: counts.citizenship(c.glotip, c.iso3, c.name, c.lang, c.flagged)),
    "tiers": CountryChart("h_tiers", lambda c: tiers.country(c.tiers, c.name, c.lang,
                                                            data.table("tip_tier_changes", iso3=c.iso3))),
    "p3": CountryChart("h_p3", lambda c: policy.country(data.table("policy_3p", iso3=c.iso3), data.table("policy_3p"),
                                                        c.name, c.lang)),
}


def chart_section(key: str) -> Callable[[Country], str]:
    def render(c: Country) -> str:
        block = figure(CHARTS[key].make(c), f"{c.iso3.lower()}-{key}", c.lang).source
        extra = rates.country_note(c, key) if key in ("victims", "justice") else ""
        return block + ("\n\n" + extra if extra else "")
    return render


# ---------------------------------------------------------------------------------------------
# The top of the page: key facts and a short summary

def _fact(c: Country, key: str, label: str, value: str, extra: str = "") -> str:
    more = f'<span class="kb-fact-extra">{html.escape(extra)}</span>' if extra else ""
    return (f'<li><a href="#{html.escape(c.anchor(key))}"><span class="kb-fact-label">{html.escape(label)}</span>'
            f'<span class="kb-fact-value">{html.escape(value)}</span>{more}</a></li>')


def key_facts(c: Country) -> str:
    """The answers a reader looks for first, each linking to its section."""
    lang = c.lang
    victims = c.latest("detected_victims")
    extra = [rates.rate_for(c, victims), sentences.latest_extra(victims, lang)]
    facts = [_fact(c, "victims", labels.ui("kf_victims", lang), sentences.latest_value(victims, lang),
                   "; ".join(e for e in extra if e))]
    for indicator in ("prosecuted", "convicted"):
        latest = c.latest(indicator)
        facts.append(_fact(c, "justice", labels.label("indicator", indicator, lang),
                           sentences.latest_value(latest, lang), sentences.latest_extra(latest, lang)))
    facts.append(_fact(c, "forms", labels.ui("kf_main_form", lang), *sentences.main_form_fact(S.main_form(c.glotip), lang)))
    tier = latest_tier(c)
    facts.append(_fact(c, "tiers", labels.ui("kf_tier", lang),
                       labels.ui("tier_in_report", lang, tier=labels.label("tier", tier[1], lang), year=tier[0])
                       if tier else labels.ui("not_established", lang)))
    facts.append(_fact(c, "treaty", labels.ui("kf_treaty", lang), treaty.short_status(c.iso3, lang)))
    if measures.available():
        facts.append(_fact(c, "measures", labels.ui("kf_measures", lang), measures.count_phrase(c.iso3, lang)))
    title = labels.ui("key_facts", lang)
    return (f'<nav class="kb-facts" aria-label="{html.escape(title)}" data-pagefind-ignore>'
            f'<ul>{"".join(facts)}</ul></nav>')


def latest_tier(c: Country) -> tuple[int, str] | None:
    """The latest report year with a placement (a tier, special case or not ranked)."""
    if c.tiers.empty:
        return None
    last = c.tiers.iloc[-1]
    return int(last["year"]), last["tier"]


def summary(c: Country) -> str:
    """What the page shows, in a few plain sentences; each restates a figure on the page."""
    lang, name = c.lang, c.name
    say = []
    if c.glotip.empty:
        say.append(labels.ui("sum_no_unodc", lang, country=name))
    else:
        years = sorted({int(y) for y in c.glotip["year"]})
        say.append(labels.ui("sum_unodc_years", lang, country=name, first=years[0], last=years[-1]))
        victims = c.latest("detected_victims")
        if victims is not None:
            say.append(sentences.victims_sentence(victims, S.national(c.glotip, "detected_victims"),
                                                  rates.rate_for(c, victims), name, lang))
        for indicator in ("prosecuted", "convicted"):
            latest = c.latest(indicator)
            if latest is not None:
                say.append(sentences.latest_phrase(labels.label("indicator", indicator, lang), latest, lang) + ".")
        form = sentences.main_form_sentence(S.main_form(c.glotip), lang)
        if form:
            say.append(form)
        say.append(labels.ui("sum_detection_caveat", lang))
    tier = latest_tier(c)
    if tier:
        say.append(labels.ui(f"sum_tier_{'ranked' if tier[1].startswith('tier') else tier[1]}", lang, country=name,
                             year=tier[0], tier=labels.label("tier", tier[1], lang)))
    else:
        say.append(labels.ui("sum_no_tier", lang, country=name))
    if measures.available():
        say.append(measures.summary_sentence(c.iso3, lang))
    n = practices.published_count(c.iso3)
    say.append(labels.ui_n("sum_practices", n, lang))
    return "\n".join(f"- {myst.text(sentences.capitalized(s))}" for s in say)


# ---------------------------------------------------------------------------------------------
# Sections

def membership(c: Country) -> str:
    row = data.table("countries", iso3=c.iso3).iloc[0]
    note = row[f"membership_note_{c.lang}"]
    if not note:
        return ""
    return myst.fence("note", "", {}, myst.text(note) + " (" + sources.link(row["membership_source_id"], c.lang) + ")")


def practices_section(c: Country) -> str:
    intro = myst.text(labels.ui("practices_intro", c.lang))
    return intro + "\n\n" + practices.country_practices(c.iso3, c.lang, c.name, c.anchor("practices")).source


def oas_section(c: Country) -> str:
    lang = c.lang
    replied = data.table("questionnaire_2012", iso3=c.iso3).iloc[0]["replied_by_report"]
    lines = [myst.text(labels.ui("oas_questionnaire_line", lang,
                                 replied=labels.label("replied", replied, lang))), ""]
    rows = data.table("oas_programmes", iso3=c.iso3)
    if rows.empty:
        lines.append(myst.text(labels.ui("no_programme_long", lang, country=c.name)))
    for row in rows.itertuples(index=False):
        head = labels.label("programme", row.programme, lang) + " — " + labels.label("programme_status", row.status, lang)
        if pd.notna(row.year_start):
            head += f" ({labels.year_span([row.year_start, row.year_end])})"
        note = getattr(row, f"note_{lang}")
        lines.append(f"- **{myst.text(head)}**" + (f": {myst.text(note)}" if note else ""))
    lines += ["", myst.text(labels.ui("oas_source_note", lang))]
    return "\n".join(lines)


def data_section(c: Country) -> str:
    """What data the page draws on, until when, and the state's data as one download."""
    lang = c.lang
    lines = [f"- {myst.text(line)}" for line in coverage_lines(c)]
    csv_path, xlsx_path = country_download(c)
    lines.append("")
    lines.append(myst.unindexed(myst.text(labels.ui("country_data_download", lang, country=c.name)) + " "
                                + myst.link("CSV", "/" + csv_path) + " · " + myst.link("XLSX", "/" + xlsx_path)))
    return "\n".join(lines)


def coverage_lines(c: Country) -> list[str]:
    lang = c.lang
    out = []
    for table, key in (("glotip", "cov_unodc"), ("tip_tiers", "cov_tiers"), ("policy_3p", "cov_3p"),
                       ("criminalization", "cov_crim")):
        years = sorted({int(y) for y in data.table(table, columns=["iso3", "year"], iso3=c.iso3)["year"]})
        every = sorted({int(y) for y in data.table(table, columns=["year"])["year"]})
        if not years:
            out.append(labels.ui(key + "_none", lang, last=every[-1]))
        elif table == "criminalization":
            out.append(labels.ui(key, lang, years=labels.join([str(y) for y in years], lang), last=every[-1]))
        else:
            out.append(labels.ui(key, lang, first=years[0], last=years[-1], until=every[-1]))
    return out


def country_download(c: Country) -> tuple[str, str]:
    """Every figure the page shows for the state, long form, with sources: CSV and XLSX."""
    from . import downloads

    sheets = downloads.country_tables(c.iso3, c.lang)
    combined = pd.concat([frame.assign(**{labels.ui("col_table", c.lang): name}) for name, frame in sheets.items()],
                         ignore_index=True).fillna("")
    stem = f"{c.iso3.lower()}-{labels.ui('file_all_data', c.lang)}"
    return (save_asset(csv_bytes(combined), f"{stem}.csv", c.lang),
            save_asset(xlsx_bytes(sheets), f"{stem}.xlsx", c.lang))


def sources_section(c: Country) -> str:
    used = list(dict.fromkeys(country_source_ids(c)))
    # The references page lists every source: search leaves the state's list out.
    return myst.unindexed_block("\n".join(f"- {sources.entry(sid, c.lang)}" for sid in used))


def country_source_ids(c: Country) -> list[str]:
    ids = sorted(set(c.glotip["source_id"])) + sorted(set(c.tiers["source_id"]))
    ids += sorted(set(data.table("tip_tier_changes", iso3=c.iso3)["source_id"]))
    ids += treaty.source_ids(c.iso3)
    ids += sorted(set(data.table("policy_3p", iso3=c.iso3)["source_id"]))
    ids += sorted(set(data.table("criminalization", iso3=c.iso3)["source_id"]))
    ids += sorted(set(c.population["source_id"])) if not c.population.empty else []
    if measures.available():
        ids += measures.source_ids(c.iso3)
    ids += practices.source_ids(c.iso3)
    ids += ["oas-2012-report"]
    return ids


@dataclass(frozen=True)
class Section:
    key: str                              # anchor: <iso3>-<key>
    heading: str                          # codebook ui key
    render: Callable[[Country], str]
    when: Callable[[], bool] = lambda: True


SECTIONS: list[Section] = [
    Section("measures", "h_measures", lambda c: measures.country_card(c.iso3, c.lang), measures.available),
    *[Section(key, chart.heading, chart_section(key)) for key, chart in CHARTS.items() if key not in ("p3",)],
    Section("treaty", "h_treaty", lambda c: treaty.country_section(c.iso3, c.lang)),
    Section("practices", "h_practices", practices_section),
    Section("p3", CHARTS["p3"].heading, chart_section("p3")),
    Section("oas", "h_oas", oas_section),
    Section("data", "h_data", data_section),
    Section("sources", "h_sources", sources_section),
]


def profile(iso3: str, lang: str | None = None) -> myst.Markdown:
    lang = lang or langs.current()
    c = Country(iso3, lang)
    blocks = [key_facts(c), membership(c), summary(c)]
    for section in SECTIONS:
        if section.when():
            blocks.append(f"({c.anchor(section.key)})=\n## {myst.text(labels.ui(section.heading, lang))}\n\n"
                          + section.render(c))
    return myst.Markdown("\n\n".join(b for b in blocks if b))
