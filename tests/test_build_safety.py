"""Builds are never stale and fail safe: changed data reaches the pages, a failed build leaves
the last good site untouched, text from data cannot inject markup, and builds are reproducible.
Each test works on its own clone of a small, already built copy of the project."""
from __future__ import annotations

import csv
import shutil

import pytest

from bookcopy import build, tree_digest
from sitecheck import parse, resolve

pytestmark = pytest.mark.slow


def set_cell(path, match: dict, column: str, value: str) -> str:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
        fields = list(rows[0].keys())
    hit = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(hit) == 1, (match, len(hit))
    old = hit[0][column]
    hit[0][column] = value
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return old


ARG_2022 = {"iso3": "ARG", "indicator": "detected_victims", "dimension": "total", "category": "total",
            "sex": "total", "age": "total", "year": "2022"}


def victims_download(site, lang):
    page = site / lang / "book" / "countries" / "arg.html"
    url = next(u for t, u in parse(page).links if t == "a" and u.endswith("arg-victims.csv"))
    with open(resolve(page, url)[0], newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_changed_value_reaches_page_and_download(small_clone):
    old = set_cell(small_clone / "data" / "glotip.csv", ARG_2022, "value", "")
    new = str(int(old) + 7)
    set_cell(small_clone / "data" / "glotip.csv", ARG_2022, "value", new)
    result = build(small_clone)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "notebooks [en]: executed 1" in result.stdout and "notebooks [es]: executed 1" in result.stdout
    site = small_clone / "_build" / "site"
    for lang, col_series, col_year, col_value, total in (("en", "Series", "Year", "Value", "All"),
                                                          ("es", "Serie", "Año", "Valor", "Total")):
        rows = [r for r in victims_download(site, lang) if r[col_series] == total and r[col_year] == "2022"]
        assert [r[col_value] for r in rows] == [new]
        # The previous version of the chart and its CSV are no longer published.
        for folder, name in (("_downloads", "arg-victims.csv"), ("_images", "arg-victims*")):
            assert len(list((site / lang / folder).rglob(name))) == 1, (lang, folder)
    html = (site / "en" / "book" / "countries" / "arg.html").read_text(encoding="utf-8")
    assert f"{int(new):,}" in html and f"{int(old):,} (2022)" not in html


def test_editing_text_executes_no_notebook(small_clone):
    page = small_clone / "book" / "countries" / "arg.md"
    page.write_text(page.read_text(encoding="utf-8").replace("grouped by the four areas", "grouped by the four areas (edited)"),
                    encoding="utf-8")
    result = build(small_clone)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "notebooks [en]: executed 0" in result.stdout and "notebooks [es]: executed 0" in result.stdout
    assert "(edited)" in (small_clone / "_build/site/en/book/countries/arg.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("breakage", ["bad data", "notebook error", "sphinx warning"])
def test_failed_build_leaves_last_good_site(small_clone, breakage):
    site = small_clone / "_build" / "site"
    before = tree_digest(site)
    if breakage == "bad data":
        set_cell(small_clone / "data" / "glotip.csv", ARG_2022, "value", "-3")
    elif breakage == "notebook error":
        page = small_clone / "book" / "countries" / "arg.md"
        page.write_text(page.read_text(encoding="utf-8") + '\n```{code-cell} ipython3\nraise RuntimeError("boom")\n```\n',
                        encoding="utf-8")
    else:
        page = small_clone / "book" / "smoke.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nSee [nowhere](no-such-page.md).\n", encoding="utf-8")
    result = build(small_clone)
    assert result.returncode != 0
    assert "BUILD FAILED" in result.stderr
    assert tree_digest(site) == before, "the published site changed after a failed build"
    if breakage == "bad data":
        assert 'data/glotip.csv' in result.stderr and 'column "value"' in result.stderr


def test_text_from_data_is_escaped(small_clone):
    hostile = ('<script>alert("x")</script> **not bold** [a link](https://example.org) {download}`x` '
               ':::{note}\nnot a note\n:::')
    path = small_clone / "data" / "practices.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    target = next(r for r in rows if r["iso3"] == "ARG" and r["status"] == "published")
    set_cell(path, {"practice_id": target["practice_id"]}, "description_en", hostile)
    set_cell(path, {"practice_id": target["practice_id"]}, "name", "<b>Ley</b> & {sub}`x`")
    result = build(small_clone)
    assert result.returncode == 0, result.stdout + result.stderr
    html = (small_clone / "_build/site/en/book/countries/arg.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert "<strong>not bold</strong>" not in html and "**not bold**" in html
    assert 'href="https://example.org"' not in html
    assert "&lt;b&gt;Ley&lt;/b&gt; &amp;" in html and "<b>Ley</b>" not in html
    assert 'class="admonition note"' not in html.split("not a note")[0][-300:]


def test_two_builds_of_the_same_sources_are_identical(small_book, tmp_path):
    from bookcopy import clone_built

    again = clone_built(small_book, tmp_path / "again")
    shutil.rmtree(again / "_build")
    result = build(again)
    assert result.returncode == 0, result.stdout + result.stderr
    # Pagefind's index files are not byte-reproducible (their names and filter files change from
    # run to run on identical input); everything else must be.
    first, second = (
        {k: v for k, v in tree_digest(root / "_build" / "site").items() if not k.startswith("pagefind/")}
        for root in (small_book, again))
    assert first.keys() == second.keys()
    different = [name for name in first if first[name] != second[name]]
    assert not different, different[:20]
