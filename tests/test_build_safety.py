"""Builds are never stale and fail safe: changed data reaches the pages, a failed build leaves
the last good site untouched, text from data cannot inject markup, and builds are reproducible.
Each test works on its own clone of a small, already built copy of the project."""
from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import subprocess
import time

import pytest

from bookcopy import add_fault_hook, build, copy_env, incomplete, start, tree_digest
from conftest import LANGS
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


def with_own_text(page_source: str, words: str) -> str:
    """A country page with a paragraph of the state's own text, where contributors write it
    (after the comment under the title)."""
    assert "-->\n" in page_source
    return page_source.replace("-->\n", f"-->\n\nA note on Argentina {words}.\n", 1)


def test_editing_text_executes_no_notebook(small_clone):
    page = small_clone / "book" / "countries" / "arg.md"
    page.write_text(with_own_text(page.read_text(encoding="utf-8"), "(edited)"), encoding="utf-8")
    result = build(small_clone)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "notebooks [en]: executed 0" in result.stdout and "notebooks [es]: executed 0" in result.stdout
    assert "A note on Argentina (edited)" in (small_clone / "_build/site/en/book/countries/arg.html").read_text(encoding="utf-8")


def test_a_change_to_a_script_or_style_alone_reaches_the_site(small_clone):
    """Sphinx skips copying static files when no page is out of date: a fix to kb.css alone
    must still be published, in every language."""
    css = small_clone / "_static" / "kb.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* kb-static-marker */\n", encoding="utf-8")
    result = build(small_clone)
    assert result.returncode == 0, result.stdout + result.stderr
    for lang in LANGS:
        assert "kb-static-marker" in (small_clone / "_build/site" / lang / "_static/kb.css").read_text(encoding="utf-8"), lang


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


# Faults: concurrent builds, kills, signals, corrupted caches, interrupted publication ----------------

def edit_arg_text(root, marker: str) -> None:
    page = root / "book" / "countries" / "arg.md"
    page.write_text(with_own_text(page.read_text(encoding="utf-8"), marker), encoding="utf-8")


def arg_page(root, lang="en") -> str:
    return (root / "_build" / "site" / lang / "book" / "countries" / "arg.html").read_text(encoding="utf-8")


def test_two_builds_at_once_never_publish_half_a_site(small_clone):
    """Issue 14, defect 1: a second build started while one runs must refuse (or wait), and no
    build may publish a partial site, then or after."""
    edit_arg_text(small_clone, "(concurrent)")
    first = start(small_clone)
    time.sleep(1.0)
    second = build(small_clone)
    out, err = first.communicate(timeout=600)
    results = [(first.returncode, out, err), (second.returncode, second.stdout, second.stderr)]
    assert any(code == 0 for code, _, _ in results), results
    for code, out, err in results:
        assert "Traceback" not in out + err, err
        if code != 0:  # the other build is the one that runs: this one says so in one line
            assert [line for line in err.splitlines() if line.strip()] and "another build is running" in err, err
    assert incomplete(small_clone) == []
    assert "(concurrent)" in arg_page(small_clone)
    again = build(small_clone)
    assert again.returncode == 0, again.stderr
    assert incomplete(small_clone) == [] and "(concurrent)" in arg_page(small_clone)


def test_a_build_killed_while_sphinx_writes_is_repaired_by_the_next(small_book, small_clone, tmp_path):
    """Issue 14, defect 2: kill -9 of the whole build after Sphinx saved what it read (a new data
    value) and before it wrote the pages; the next plain build must publish what a clean build
    of the same sources publishes."""
    add_fault_hook(small_clone)
    new = str(int(set_cell(small_clone / "data" / "glotip.csv", ARG_2022, "value", "")) + 11)
    set_cell(small_clone / "data" / "glotip.csv", ARG_2022, "value", new)  # the page's text stays as it was
    killed = start(small_clone, env=copy_env(small_clone, KB_FAULT="kill"))
    killed.communicate(timeout=600)
    assert killed.returncode == -signal.SIGKILL
    rebuilt = build(small_clone)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr

    from bookcopy import clone_built

    clean = clone_built(small_clone, tmp_path / "clean")
    shutil.rmtree(clean / "_build")
    assert build(clean).returncode == 0
    repaired, reference = (published(root) for root in (small_clone, clean))
    assert repaired.keys() == reference.keys()
    stale = [name for name in reference if repaired[name] != reference[name]]
    assert not stale, stale[:20]
    assert f"{int(new):,}" in arg_page(small_clone)


def without_checksums(html: str) -> str:
    return re.sub(r"\?v=[0-9a-f]{8}", "", html)


def published(root) -> dict[str, bytes]:
    """The site as readers get it, less what differs between any incremental build and a build
    from nothing: Pagefind's file names, Sphinx's own search index (unused: search is Pagefind)
    and the ``?v=`` checksums Sphinx adds to links of static files that exist when it writes."""
    out = {}
    for name, content in tree_digest(root / "_build" / "site").items():
        if name.startswith("pagefind/") or name.endswith("searchindex.js"):
            continue
        out[name] = without_checksums(content.decode()).encode() if name.endswith(".html") else content
    return out


def descendants_named(proc: subprocess.Popen, needle: str) -> list:
    import psutil

    try:
        return [p for p in psutil.Process(proc.pid).children(recursive=True) if needle in " ".join(p.cmdline())]
    except psutil.Error:
        return []


@pytest.mark.parametrize("phase", ["notebooks", "sphinx"])
def test_sigterm_stops_every_child_and_leaves_the_site(small_clone, phase):
    """Issue 14, defect 6: SIGTERM to the build stops its pool workers, kernels and Sphinx
    processes, and the published site stays as it was."""
    import psutil

    site = small_clone / "_build" / "site"
    before = tree_digest(site)
    env = copy_env(small_clone)
    if phase == "notebooks":
        page = small_clone / "book" / "countries" / "arg.md"
        page.write_text(page.read_text(encoding="utf-8") + "\n```{code-cell} ipython3\nimport time; time.sleep(120)\n```\n",
                        encoding="utf-8")
        needle = "ipykernel"
    else:
        add_fault_hook(small_clone)
        edit_arg_text(small_clone, "(sigterm)")
        env = copy_env(small_clone, KB_FAULT="sleep", KB_FAULT_EVENT="env-before-read-docs")
        needle = "jupyter-book"
    proc = start(small_clone, env=env)
    children = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not descendants_named(proc, needle):
            time.sleep(0.2)
        assert descendants_named(proc, needle), f"the build never reached the {phase} phase"
        time.sleep(1.0)
        children = psutil.Process(proc.pid).children(recursive=True)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
        _, alive = psutil.wait_procs(children, timeout=15)
        assert not alive, [" ".join(p.cmdline())[:80] for p in alive]
        assert proc.returncode != 0
        assert "Traceback" not in err, err
        assert tree_digest(site) == before
    finally:
        for child in children:
            try:
                child.kill()
            except psutil.Error:
                pass
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


def _corrupt_manifest(root):
    (root / "_build/exec/en/manifest.json").write_text('{"book/countries/arg": {"path": ', encoding="utf-8")


def _corrupt_database(root):
    (root / "_build/exec/en/cache/global.db").write_bytes(b"this is not a database" * 100)


def _corrupt_entry(root):
    entries = sorted((root / "_build/exec/en/cache/executed").glob("*/base.ipynb"))
    assert entries
    for entry in entries:
        entry.write_text(entry.read_text(encoding="utf-8")[:200], encoding="utf-8")


def _delete_entry(root):
    entries = sorted((root / "_build/exec/en/cache/executed").glob("*/base.ipynb"))
    assert entries
    for entry in entries:
        entry.unlink()


@pytest.mark.parametrize("corrupt", [_corrupt_manifest, _corrupt_database, _corrupt_entry, _delete_entry],
                         ids=["manifest", "database", "entry", "entry deleted"])
def test_an_unreadable_cache_is_discarded_and_the_pages_run_again(small_clone, corrupt):
    """Issue 14, defect 8: a corrupted manifest, cache database or cached notebook costs a
    re-execution and one message, not a blocked build (plain or --all)."""
    source = small_clone / "book" / "countries" / "arg.md"
    original, page_before = source.read_text(encoding="utf-8"), without_checksums(arg_page(small_clone))
    for round, args in enumerate(((), ("--all",))):
        corrupt(small_clone)
        source.write_text(with_own_text(original, f"({round})"), encoding="utf-8")
        result = build(small_clone, *args)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Traceback" not in result.stdout + result.stderr
        assert "unreadable" in result.stdout, result.stdout
        assert "notebooks [en]: executed 1" in result.stdout
        assert f"A note on Argentina ({round})" in arg_page(small_clone)
    source.write_text(original, encoding="utf-8")
    assert build(small_clone).returncode == 0
    assert without_checksums(arg_page(small_clone)) == page_before


def _two_rename_crash(root):
    """The earlier build's swap, interrupted between its two renames: site.old, no site."""
    site = root / "_build" / "site"
    target = site.resolve()
    site.unlink() if site.is_symlink() else None
    target.rename(root / "_build" / "site.old")


def _link_lost(root):
    """Only the checked version is there: the published link is gone."""
    site = root / "_build" / "site"
    target = site.resolve()
    site.unlink() if site.is_symlink() else None
    (root / "_build" / "sites").mkdir(exist_ok=True)
    if target.parent != root / "_build" / "sites":
        target.rename(root / "_build" / "sites" / "interrupted")


@pytest.mark.parametrize("interrupt", [_two_rename_crash, _link_lost], ids=["site.old", "sites"])
def test_an_interrupted_publication_is_completed_by_the_next_build(small_clone, interrupt):
    """Issue 14, defect 10: after a crash in the middle of publishing, even a build that fails
    (here on bad data) puts the last good site back."""
    before = tree_digest(small_clone / "_build" / "site")
    interrupt(small_clone)
    assert not (small_clone / "_build" / "site").exists()
    set_cell(small_clone / "data" / "glotip.csv", ARG_2022, "value", "-3")
    result = build(small_clone)
    assert result.returncode != 0 and "BUILD FAILED" in result.stderr
    assert tree_digest(small_clone / "_build" / "site") == before


def test_the_data_the_notebooks_read_is_the_data_validated(small_clone, tmp_path):
    """Issue 14, defect 7: with TIPKB_DATA pointing elsewhere, that folder is validated."""
    elsewhere = tmp_path / "other-data"
    shutil.copytree(small_clone / "data", elsewhere)
    set_cell(elsewhere / "glotip.csv", ARG_2022, "year", "1850")
    before = tree_digest(small_clone / "_build" / "site")
    result = build(small_clone, env=copy_env(small_clone, TIPKB_DATA=str(elsewhere)))
    assert result.returncode != 0, result.stdout
    assert 'glotip.csv' in result.stderr and 'column "year"' in result.stderr
    assert tree_digest(small_clone / "_build" / "site") == before


def _po(root, name="book/countries/arg.po"):
    return root / "locales" / "es" / "LC_MESSAGES" / name


def _first_translation_line(path) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1)
                if line.startswith('msgstr "') and line != 'msgstr ""')


def test_a_translation_with_injected_html_is_refused(small_clone):
    """Issue 14, defect 3: HTML in a Spanish msgstr is refused, naming file, line and rule."""
    path = _po(small_clone)
    line = _first_translation_line(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[line - 1] = lines[line - 1][:-1] + ' <img src=x onerror=alert(1)>"'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = tree_digest(small_clone / "_build" / "site")
    result = build(small_clone)
    assert result.returncode != 0
    assert f"locales/es/LC_MESSAGES/book/countries/arg.po, line {line}: markup-not-in-english" in result.stderr, result.stderr
    assert tree_digest(small_clone / "_build" / "site") == before


def test_a_translation_file_with_a_syntax_error_is_refused(small_clone):
    """Issue 14, defect 9: a malformed .po line is an error naming file and line, not a string
    silently cut short."""
    path = _po(small_clone)
    line = _first_translation_line(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    text = lines[line - 1]
    cut = text.index(" ", len(text) // 2) if " " in text[len(text) // 2:] else len(text) - 2
    lines[line - 1:line] = [text[:cut] + '"', text[cut:]]  # the rest of the string lost its opening quote
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build(small_clone)
    assert result.returncode != 0
    assert f"arg.po, line {line + 1}: po-syntax" in result.stderr, result.stderr


def test_a_placeholder_changed_in_a_translation_is_refused_naming_the_file(small_clone):
    """Issue 14, defect 9: a theme string whose placeholder the translation renamed."""
    path = _po(small_clone, "sphinx.po")
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '\nmsgid "Last updated on %(last_updated)s."\nmsgstr "Actualizado el %(fecha)s."\n',
                    encoding="utf-8")
    line = len(text.splitlines()) + 3
    result = build(small_clone)
    assert result.returncode != 0
    assert f"locales/es/LC_MESSAGES/sphinx.po, line {line}" in result.stderr, result.stderr
    assert "%(fecha)s" in result.stderr
