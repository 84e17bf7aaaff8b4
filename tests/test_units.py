"""Fast checks of the building blocks, without a site build (``pytest -m unit``): words and
numbers per language, year series, generated sentences at 0, 1 and many, escaping, chart tables."""
from __future__ import annotations

import pandas as pd
import pytest

from tipkb import labels, myst, sentences
from tipkb import series as S

from conftest import LANGS

pytestmark = pytest.mark.unit


def frame(values: dict[int, str]) -> pd.DataFrame:
    return pd.DataFrame({"year": list(values), "value": list(values.values())})


def test_numbers_are_grouped_the_way_each_language_writes_them():
    assert labels.number(1757, "en") == "1,757" and labels.number(1757, "es") == "1757"
    assert labels.number(12345, "es") == "12\u202f345" and labels.number(12345, "en") == "12,345"
    assert labels.number(2.5, "es") == "2,5" and labels.number(2.5, "en") == "2.5"


def test_dates_by_precision():
    assert labels.date("2025-04-14", "es") == "14 de abril de 2025"
    assert labels.date("2008-04", "en") == "April 2008" and labels.date("2008-04", "es") == "abril de 2008"
    assert labels.date("2012", "es") == "2012"


def test_lists_use_each_languages_conjunction():
    assert labels.join(["2017", "2018"], "en") == "2017 and 2018"
    assert labels.join(["2017", "2018"], "es") == "2017 y 2018"


def test_latest_year_reported_is_not_skipped_when_suppressed():
    status = S.year_status(frame({2020: "12", 2021: "9", 2022: "<5"}))
    latest = S.latest_count(status)
    assert (latest.year, latest.status, latest.last_count_year, latest.last_count) == (2022, S.SUPPRESSED, 2021, 9)
    assert int(S.latest(status)["year"]) == 2021  # the latest *count*, asked for by name


def test_several_differing_values_are_ambiguous_not_a_number():
    status = S.year_status(frame({2019: "4", 2020: "7"}).pipe(lambda f: pd.concat([f, frame({2020: "9"})])))
    assert status.set_index("year").loc[2020, "status"] == S.AMBIGUOUS


def test_breakdown_coverage_counts_suppressed_parts_as_one_to_four():
    total = S.year_status(frame({2013: "234"}))
    parts = [S.year_status(frame({2013: "23"})), S.year_status(frame({2013: "91"}))]
    cov = S.breakdown_coverage(total, parts)[2013]
    assert (cov.low, cov.high, cov.partial, cov.exceeds) == (114, 114, True, False)
    cov = S.breakdown_coverage(S.year_status(frame({2020: "6"})),
                               [S.year_status(frame({2020: "5"})), S.year_status(frame({2020: "<5"}))])[2020]
    assert (cov.low, cov.high, cov.partial, cov.exceeds) == (6, 9, False, False)


def test_ties_name_every_peak_year():
    status = S.year_status(frame({2016: "8", 2017: "11", 2018: "11", 2019: "3"}))
    assert S.peak(status) == (11, [2017, 2018])
    assert "2017 and 2018" in sentences.peak_phrase(status, "en", latest_year=2019)
    assert "2017 y 2018" in sentences.peak_phrase(status, "es", latest_year=2019)


def test_peak_in_the_latest_year_is_not_repeated_as_a_year():
    status = S.year_status(frame({2014: "3", 2015: "20"}))
    phrase = sentences.peak_phrase(status, "en", latest_year=2015)
    assert "2015" not in phrase and phrase


@pytest.mark.parametrize("lang", LANGS)
def test_every_counted_sentence_has_one_and_other_forms_with_the_same_placeholders(lang):
    import csv
    import re

    from tipkb import paths

    rows = list(csv.DictReader(open(paths.DATA / "codebook.csv", newline="", encoding="utf-8")))
    keys = {r["code"].rsplit(".", 1)[0] for r in rows if r["domain"] == "ui" and r["code"].endswith((".one", ".other"))}
    assert keys
    for key in keys:
        forms = {r["code"].rsplit(".", 1)[1]: r[f"label_{lang}"] for r in rows
                 if r["domain"] == "ui" and r["code"].startswith(key + ".")}
        assert {"one", "other"} <= set(forms), key
        other = set(re.findall(r"\{(\w+)\}", forms["other"]))
        assert set(re.findall(r"\{(\w+)\}", forms["one"])) <= other, key


@pytest.mark.parametrize("lang", LANGS)
def test_counted_sentences_read_right_at_zero_one_and_many(lang):
    zero = labels.ui_n("sum_practices", 0, lang)
    one = labels.ui_n("sum_practices", 1, lang)
    many = labels.ui_n("sum_practices", 5, lang)
    assert "0" not in zero and "1" not in one
    assert labels.words_or_number(5, lang) in many and "5" not in many
    assert labels.number(12, lang) in labels.ui_n("sum_practices", 12, lang)


def test_hostile_data_text_is_escaped_for_markdown_and_html():
    assert myst.text("<script>x</script> {download}`a` [b](c)").count("\\") >= 10
    link = myst.link('<img src=x onerror="alert(1)">', "https://example.org/?a=1&b=2")
    assert "<img" not in link and "&amp;b=2" in link
    assert "<b>" not in myst.foreign("<b>bold</b>", "en")
    assert "\\|" in myst.text("a | b")


def test_a_name_ending_in_a_parenthesis_gets_no_double_parenthesis():
    out = myst.named("Ley 26.842 (modifica la Ley 26.364)", "Law 26.842 (amending Law 26.364)")
    assert "))" not in out


def test_chart_table_keeps_suppressed_counts_out_of_the_number_column():
    from tipkb.charts import counts

    series = [counts.Series("Total", "#000", S.year_status(frame({2021: "9", 2022: "<5"})))]
    table = counts._table(series, "X", "en")
    assert list(table["Value"]) == [9, ""] and list(table["Suppressed (<5)"]) == ["No", "Yes"]


def glotip_rows(total: dict[int, str], forms: dict[str, list[str]], year: int = 2022) -> pd.DataFrame:
    """A state's rows: national totals by year and, for ``year``, each form's rows."""
    rows = [{"indicator": "detected_victims", "dimension": "total", "category": "total", "sex": "total",
             "age": "total", "year": y, "value": v} for y, v in total.items()]
    rows += [{"indicator": "detected_victims", "dimension": "form", "category": form, "sex": "total", "age": "total",
              "year": year, "value": v} for form, values in forms.items() for v in values]
    return pd.DataFrame(rows)


def test_main_form_beats_every_other_form_and_every_unreported_victim():
    # Colombia 2022: 117 of 162; 'other forms' has four differing rows (at most 32 together).
    lead = S.main_form(glotip_rows({2022: "162"}, {"sexual_exploitation": ["117"], "forced_labour": ["12"],
                                                   "other_forms": ["6", "10", "<5", "12"]}))
    assert (lead.verdict, lead.form, lead.count, lead.total) == ("lead", "sexual_exploitation", 117, 162)
    # Mexico 2022: forms for 95 of 247 victims: too few to say.
    few = S.main_form(glotip_rows({2022: "247"}, {"sexual_exploitation": ["79"], "forced_labour": ["11"],
                                                  "other_forms": ["5"]}))
    assert (few.verdict, few.reported) == ("few", (95, 95))
    close = S.main_form(glotip_rows({2022: "43"}, {"sexual_exploitation": ["13"], "forced_labour": ["16"],
                                                   "other_forms": ["9", "8", "<5"]}))
    assert close.verdict == "close" and close.form is None
    # 60 of 100 reported: 35 leads 25, but 40 unreported victims could change that.
    unsure = S.main_form(glotip_rows({2022: "100"}, {"sexual_exploitation": ["35"], "forced_labour": ["25"]}))
    assert unsure.verdict == "unsure"
    every = {"other_forms": ["<5"], "forced_labour": ["<5"], "sexual_exploitation": ["<5"]}
    assert S.main_form(glotip_rows({2022: "7"}, every)).verdict == "suppressed"
    # A form without a figure is not 'fewer than 5': bounded by the total (7) it may lead.
    assert S.main_form(glotip_rows({2022: "7"}, {"other_forms": ["<5"], "forced_labour": ["<5"]})).verdict == "close"
    # Without a national total nothing bounds it (Guyana and Chile 2022: only 'other forms <5').
    partial = S.main_form(glotip_rows({2021: "200"}, {"other_forms": ["<5"]}))
    assert (partial.verdict, partial.forms) == ("partial", ("other_forms",))
    assert S.main_form(glotip_rows({}, {"sexual_exploitation": ["40"], "forced_labour": ["3"]})).verdict == "partial"
    assert S.main_form(glotip_rows({2022: "7"}, {})).verdict == "none"


def test_later_breakdown_only_years_and_states_without_a_national_total():
    rows = glotip_rows({2019: "15", 2020: "20"}, {"forced_labour": ["30"]}, year=2021)
    found = S.latest_reported(rows, "detected_victims")
    assert (found.year, found.count, found.later, found.breakdowns) == (2020, 20, (2021,), ("form",))
    only = S.latest_reported(glotip_rows({}, {"forced_labour": ["<5"]}, year=2017), "detected_victims")
    assert (only.status, only.first_year, only.breakdowns) == (S.BREAKDOWN_ONLY, 2017, ("form",))
    assert S.latest_reported(rows, "convicted") is None
    for lang in LANGS:
        assert "2021" in sentences.latest_extra(found, lang)
        assert sentences.latest_value(only, lang) == labels.ui("no_national_total", lang)


def test_year_runs_read_three_or_more_consecutive_years_as_a_span():
    assert sentences.year_runs([2019, 2020, 2021, 2022], "en") == "2019–2022"
    assert sentences.year_runs([2017, 2018], "en") == "2017 and 2018"
    assert sentences.year_runs([2012, 2014, 2015, 2016, 2019], "es") == "2012, 2014–2016 y 2019"


def test_main_citizenships_leave_out_ties_at_the_cut_and_suppressed_counts():
    def b(name, count, status=S.VALUE):
        return {"name": name, "count": count, "status": status}
    # Colombia 2022: Venezuela 59 and four at "<5": only Venezuela is "main".
    assert sentences.main_citizenships([b("VE", 59)] + [b(n, -1, S.SUPPRESSED) for n in "ABCD"]) == ["VE"]
    assert sentences.main_citizenships([b("A", 10), b("B", 5), b("C", 5), b("D", 5)]) == ["A"]
    assert sentences.main_citizenships([b("A", 10), b("B", 7), b("C", 5), b("D", 2)]) == ["A", "B", "C"]


def test_a_page_is_stale_only_when_the_rows_it_read_change(data_copy, monkeypatch, tmp_path):
    """The build skips slice hashes for tables whose file is unchanged; an edit elsewhere in a
    table the page read must still be told apart from an edit to the rows it read."""
    from tipkb import data
    from tipkb.build import execute

    monkeypatch.setenv(data.DATA_DIR_ENV, str(data_copy))
    data.begin_recording()
    data.table("glotip", iso3="ARG", indicator="detected_victims")
    entry = {"nb_hash": "n", "code_hash": "c", "reads": data.recorded_reads(), "assets": []}
    assert entry["reads"] and all(r["table_sha256"] for r in entry["reads"])

    from jupyter_cache import get_cache

    empty = get_cache(str(tmp_path / "cache"))

    def stale():
        return execute.stale_reason(entry, "n", "c", empty)

    assert stale() == "not in the execution cache"  # nothing changed: all reads current
    path = data_copy / "glotip.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    other = next(i for i, line in enumerate(lines) if line.startswith("BRA,"))
    path.write_text("".join(lines[:other] + [lines[other]] + lines[other:]), encoding="utf-8")
    assert stale() == "not in the execution cache"  # another state's row added: same slice
    arg = next(i for i, line in enumerate(lines) if line.startswith("ARG,detected_victims,"))
    path.write_text("".join(lines[:arg] + lines[arg + 1:]), encoding="utf-8")
    reason = stale()
    assert reason and reason.startswith("data changed: glotip"), reason


def test_a_cached_notebook_is_read_back_whole_once_and_again_only_after_it_changes(tmp_path, monkeypatch):
    """The build reads each page's cached notebook to make sure it can be used, then trusts it
    while its size and time are unchanged; a cached notebook cut short afterwards is found."""
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    from tipkb.build import execute

    cache = get_cache(str(tmp_path / "cache"))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cache.cache_notebook_bundle(CacheBundleIn(nb, str(tmp_path / "page.md")), check_validity=False)
    nb_hash = execute.notebook_hash(cache, nb)
    entry = {"nb_hash": nb_hash, "code_hash": "c", "reads": [], "assets": []}
    reads = []
    real = cache.get_cache_bundle
    monkeypatch.setattr(cache, "get_cache_bundle", lambda pk: reads.append(pk) or real(pk))

    assert execute.stale_reason(entry, nb_hash, "c", cache) is None and len(reads) == 1
    assert entry["cached_file"]  # its size and time, saved with the manifest
    assert execute.stale_reason(entry, nb_hash, "c", cache) is None and len(reads) == 1  # not read again
    stored = next((tmp_path / "cache" / "executed").glob("*/base.ipynb"))
    stored.write_text(stored.read_text(encoding="utf-8")[:100], encoding="utf-8")
    reason = execute.stale_reason(entry, nb_hash, "c", cache)
    assert reason and reason.startswith(execute.DISCARDED) and len(reads) == 2


def test_an_assembled_site_with_a_page_cut_short_or_no_search_index_is_incomplete(tmp_path):
    import json

    from tipkb import paths
    from tipkb.build import publish

    for name in ("index.html", "404.html", "sitemap.xml"):
        (tmp_path / name).write_text("x")
    body = '<html><body><article class="a" data-pagefind-body>Text</article></body></html>\n'
    for lang in LANGS:
        (tmp_path / lang / "book").mkdir(parents=True)
        (tmp_path / lang / "book" / "a.html").write_text(body)
        (tmp_path / lang / "book" / "b.html").write_text(body)
    assert f"pagefind/{LANGS[0]}/pagefind-entry.json (the search index)" in publish.missing_parts(tmp_path, LANGS, ["book/a"])
    entry = {"languages": {lang: {"page_count": 2} for lang in LANGS}}

    def write_entries():
        for lang in LANGS:  # each language's own index (tipkb.search writes one per language)
            paths.search_bundle(tmp_path, lang).mkdir(parents=True, exist_ok=True)
            (paths.search_bundle(tmp_path, lang) / "pagefind-entry.json").write_text(json.dumps(entry))

    write_entries()
    assert publish.missing_parts(tmp_path, LANGS, ["book/a", "book/b"]) == []
    (tmp_path / LANGS[-1] / "book" / "b.html").write_text(body[:60])
    assert publish.missing_parts(tmp_path, LANGS, ["book/a", "book/b"]) == [f"{LANGS[-1]}/book/b.html (cut short: no </html>)"]
    entry["languages"][LANGS[0]]["page_count"] = 1
    write_entries()
    assert any(m.startswith(f"search index for {LANGS[0]!r}") for m in publish.missing_parts(tmp_path, LANGS, ["book/a", "book/b"]))
