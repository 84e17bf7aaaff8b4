"""The fault campaign of issue 14, rerun on the `safety` branch (record: fault-campaign-2026-12.md).

Not part of the build or of the tests: a script that makes each try on a private copy of the
project and prints one verdict line per try, as a table row. Run from the repository root with the
project's virtual environment:

    .venv/bin/python docs/verification/fault_campaign_2026_12.py [--full] [--only CATEGORY]

Most tries use the small copy of the tests (one country page, tests/bookcopy.py); ``--full`` adds
tries on a copy of the whole book (concurrent builds, kills during Sphinx). The full-disk tries
mount a tmpfs and need root.
"""
from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

import psutil  # noqa: E402

from bookcopy import (add_fault_hook, build, clone_built, copy_env, incomplete, make_small_copy,  # noqa: E402
                      start, tree_digest)

PY = sys.executable
HOSTILE = "<img src=x onerror=alert(1)>"
ROWS: list[tuple[str, str, str, str]] = []


def record(category: str, attempt: str, verdict: str, detail: str = "") -> None:
    detail = " ".join(detail.split())[:220].replace("|", "\\|")
    ROWS.append((category, attempt, verdict, detail))
    print(f"| {category} | {attempt} | {verdict} | {detail} |", flush=True)


# What a published site must hold ------------------------------------------------------------------

def digest(root: Path) -> dict:
    site = root / "_build" / "site"
    return tree_digest(site) if site.exists() else {}


def published(root: Path) -> dict[str, bytes]:
    """Reader-facing files, less what differs between any incremental build and a build from
    nothing (Pagefind's file names, Sphinx's unused searchindex.js, ?v= checksums)."""
    out = {}
    for name, content in digest(root).items():
        if name.startswith("pagefind/") or name.endswith("searchindex.js"):
            continue
        out[name] = re.sub(rb"\?v=[0-9a-f]{8}", b"", content) if name.endswith(".html") else content
    return out


def message(result) -> str:
    """The line(s) that say what happened (not the progress lines)."""
    err = result.stderr if hasattr(result, "stderr") else result[1]
    keep = [line for line in err.splitlines() if line.strip() and not line.startswith(("---", "  "))]
    return " / ".join(keep[:4])


def refused(category, attempt, root, before, result, expect: str = "") -> None:
    code, err = result.returncode, result.stderr
    if "Traceback" in err or "Traceback" in (result.stdout or ""):
        record(category, attempt, "TRACEBACK", err[-300:])
    elif code == 0:
        record(category, attempt, "NOT REFUSED (exit 0)", result.stdout[-200:])
    elif digest(root) != before:
        record(category, attempt, "REFUSED BUT SITE CHANGED", message(result))
    elif expect and expect not in err:
        record(category, attempt, f"refused, message lacks {expect!r}", message(result))
    else:
        record(category, attempt, "refused with a message naming the problem; site untouched", message(result))


def complete(category, attempt, root, result, must_contain: tuple[str, str] | None = None, note: str = "") -> None:
    missing = incomplete(root)
    if result.returncode != 0:
        record(category, attempt, f"FAILED (exit {result.returncode})", message(result))
    elif "Traceback" in result.stderr + result.stdout:
        record(category, attempt, "TRACEBACK", result.stderr[-300:])
    elif missing:
        record(category, attempt, "PUBLISHED INCOMPLETE", ", ".join(missing[:8]))
    elif must_contain and must_contain[1] not in (root / "_build/site" / must_contain[0]).read_text(encoding="utf-8"):
        record(category, attempt, "PUBLISHED STALE", must_contain[0])
    else:
        record(category, attempt, "published complete",
               note or (result.stdout.strip().splitlines()[-2] if result.stdout else ""))


# Copies ------------------------------------------------------------------------------------------

class Copies:
    def __init__(self, work: Path):
        self.work = work
        self.n = 0
        base = make_small_copy(work / "small-base")
        add_fault_hook(base)  # inert unless KB_FAULT is set
        result = build(base)
        assert result.returncode == 0, result.stderr
        self.small_base = base

    def small(self) -> Path:
        self.n += 1
        return clone_built(self.small_base, self.work / f"try-{self.n:03d}")

    def drop(self, root: Path) -> None:
        shutil.rmtree(root, ignore_errors=True)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def set_cells(path: Path, match, column: str, value) -> int:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    n = 0
    for row in rows:
        if match(row):
            row[column] = value(row[column]) if callable(value) else value
            n += 1
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return n


ARG_2022 = lambda r: (r["iso3"], r["indicator"], r["dimension"], r["category"], r["sex"], r["age"], r["year"]) == \
    ("ARG", "detected_victims", "total", "total", "total", "total", "2022")


def descendants(proc) -> list:
    try:
        return psutil.Process(proc.pid).children(recursive=True)
    except psutil.Error:
        return []


def wait_for(proc, needle: str, timeout: float = 180) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        for p in descendants(proc):
            try:
                if needle in " ".join(p.cmdline()):
                    return True
            except psutil.Error:
                pass
        time.sleep(0.1)
    return False


def reap(children) -> list:
    _, alive = psutil.wait_procs(children, timeout=15)
    for p in alive:
        try:
            p.kill()
        except psutil.Error:
            pass
    return alive


# Categories --------------------------------------------------------------------------------------

def concurrent_small(c: Copies) -> None:
    for delay in (0.3, 1.0, 2.0, 3.5):
        root = c.small()
        edit(root / "book/countries/arg.md", "grouped by the four areas", "grouped by the four areas (c)")
        first = start(root)
        time.sleep(delay)
        second = build(root)
        out, err = first.communicate(timeout=900)
        codes = (first.returncode, second.returncode)
        refusals = [e for e in (err, second.stderr) if "another build is running" in e]
        third = build(root)
        state = incomplete(root)
        verdict = ("one published, the other refused in one line; site complete" if sorted(codes) == [0, 75] and not state
                   else "both published; site complete" if codes == (0, 0) and not state
                   else f"codes {codes}, gaps {state[:4]}")
        record("concurrent builds (small)", f"second build {delay} s after the first", verdict,
               (refusals[0].strip().splitlines()[0] if refusals else "") + f"; a third build: exit {third.returncode}")
        c.drop(root)


def kills_small(c: Copies) -> None:
    cases = [("kill -9 at write-started (en)", {"KB_FAULT": "kill", "KB_FAULT_LANG": "en"}),
             ("kill -9 at write-started (es)", {"KB_FAULT": "kill", "KB_FAULT_LANG": "es"}),
             ("kill -9 while Sphinx reads (env-before-read-docs)", {"KB_FAULT": "kill", "KB_FAULT_EVENT": "env-before-read-docs"}),
             ("kill -9 at Sphinx's end (build-finished, en)", {"KB_FAULT": "kill", "KB_FAULT_EVENT": "build-finished", "KB_FAULT_LANG": "en"}),
             ("kill -9 1.5 s into notebook execution", None),
             ("kill -9 while Pagefind indexes", "pagefind")]
    reference = None
    for attempt, env in cases:
        root = c.small()
        set_cells(root / "data/glotip.csv", ARG_2022, "value", lambda v: str(int(v) + 13))
        if reference is None:
            ref = clone_built(root, c.work / "kill-reference")
            shutil.rmtree(ref / "_build")
            assert build(ref).returncode == 0
            reference = published(ref)
        if isinstance(env, dict):
            proc = start(root, env=copy_env(root, **env))
            proc.communicate(timeout=900)
        else:
            proc = start(root)
            if env == "pagefind":
                wait_for(proc, "pagefind", 300)
            else:
                wait_for(proc, "ipykernel", 300)
                time.sleep(1.5)
            children = descendants(proc)
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass  # the build had already finished: the verdict below still holds
            proc.communicate(timeout=60)
            reap(children)
        killed_code = proc.returncode
        rebuilt = build(root)
        same = published(root) == reference
        verdict = ("repaired: the next build publishes what a build from nothing publishes" if rebuilt.returncode == 0 and same
                   else f"STALE OR FAILED (rebuild exit {rebuilt.returncode}, same={same})")
        note = [l for l in rebuilt.stdout.splitlines() if "did not finish" in l or "interrupted" in l]
        record("kill during a build (small)", attempt, verdict, f"killed exit {killed_code}; " + " / ".join(note[:2]))
        c.drop(root)


def signals_small(c: Copies, cases=(("SIGTERM", "notebooks"), ("SIGINT", "notebooks"), ("SIGHUP", "notebooks"),
                                     ("SIGTERM", "sphinx"), ("SIGINT", "sphinx"), ("SIGTERM", "pagefind"))) -> None:
    for name, phase in cases:
        for _ in range(5):  # Pagefind takes well under a second here: the signal may come too late
            if _signal_try(c, name, phase):
                break


def _signal_try(c: Copies, name: str, phase: str) -> bool:
    root = c.small()
    before = digest(root)
    env = copy_env(root)
    if phase == "notebooks":
        edit(root / "book/countries/arg.md", "kb.country_summary(\"ARG\")", "kb.country_summary(\"ARG\")\nimport time; time.sleep(90)")
        needle = "ipykernel"
    elif phase == "sphinx":
        edit(root / "book/countries/arg.md", "grouped by the four areas", "grouped by the four areas (s)")
        env = copy_env(root, KB_FAULT="sleep", KB_FAULT_EVENT="env-before-read-docs")
        needle = "jupyter-book"
    else:
        edit(root / "book/countries/arg.md", "grouped by the four areas", "grouped by the four areas (p)")
        needle = "pagefind"
    proc = start(root, env=env)
    reached = wait_for(proc, needle, 300)
    time.sleep(0 if phase == "pagefind" else 1.0)
    children = descendants(proc)
    proc.send_signal(getattr(signal, name))
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        err += " [HUNG: killed after 60 s]"
    alive = reap(children)
    if proc.returncode == 0:
        c.drop(root)
        return False  # the build had finished before the signal arrived: not a try
    ok = reached and not alive and digest(root) == before and "Traceback" not in err
    verdict = (f"stopped: {len(children)} child process(es) gone, site untouched" if ok
               else f"PROBLEM: reached={reached}, alive={len(alive)}, site same={digest(root) == before}")
    record("signals (small)", f"{name} during {phase}", verdict, f"exit {proc.returncode}; {err.strip()[:160]}")
    c.drop(root)
    return True


def _drop_column(d: Path):
    path = d / "glotip.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=[f for f in rows[0] if f != "value"], extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _text(path: Path, change):
    path.write_bytes(change(path.read_bytes()))


BAD_DATA = [
    ("deleted column (glotip value)", _drop_column, "glotip.csv"),
    ("renamed header", lambda d: _text(d / "glotip.csv", lambda b: b.replace(b"category_raw", b"category_text", 1)), "category_raw"),
    ("empty file", lambda d: (d / "palermo.csv").write_bytes(b""), "palermo.csv"),
    ("Latin-1 encoding", lambda d: _text(d / "countries.csv", lambda b: b.decode().encode("latin-1")), "UTF-8"),
    ("semicolon delimiter", lambda d: _text(d / "tip_tiers.csv", lambda b: b.replace(b",", b";")), "';'"),
    ("truncated datapackage.json", lambda d: _text(d / "datapackage.json", lambda b: b[: len(b) // 2]), "datapackage.json"),
    ("unbalanced quote", lambda d: _text(d / "practices.csv", lambda b: b"\n".join(
        b'"' + line if i == 5 else line for i, line in enumerate(b.split(b"\n")))), "quote"),
    ("header-only table", lambda d: _text(d / "palermo.csv", lambda b: b.split(b"\n")[0] + b"\n"), "x-min-rows"),
    ("missing table", lambda d: (d / "oas_timeline.csv").unlink(), "oas_timeline.csv"),
    ("year 1850 in glotip", lambda d: set_cells(d / "glotip.csv", ARG_2022, "year", "1850"), "year"),
    ("placeholder only in English", lambda d: _text(d / "codebook.csv", lambda b: b.replace(
        "Nacionales de {country}".encode(), "Nacionales de {pais}".encode())), "{pais}"),
    ("label with <img onerror>", lambda d: _text(d / "codebook.csv", lambda b: b.replace(
        b"ui,col_table,Table,", b"ui,col_table,Table " + HOSTILE.encode() + b",", 1)), "label-is-plain-text"),
    ("label with a MyST role", lambda d: _text(d / "codebook.csv", lambda b: b.replace(
        b"ui,col_table,Table,", b"ui,col_table,Table {download}`x`,", 1)), "label-is-plain-text"),
    ("label with a Markdown link", lambda d: _text(d / "codebook.csv", lambda b: b.replace(
        b"ui,col_table,Table,", b"ui,col_table,[Table](https://evil.example/),", 1)), "label-is-plain-text"),
]


def bad_data_small(c: Copies) -> None:
    for attempt, breakage, expect in BAD_DATA:
        root = c.small()
        before = digest(root)
        breakage(root / "data")
        refused("bad data (build)", attempt, root, before, build(root), expect)
        c.drop(root)
    for attempt, breakage, expect in (("TIPKB_DATA with year 1850", BAD_DATA[9][1], "year"),
                                      ("TIPKB_DATA in Latin-1", BAD_DATA[3][1], "UTF-8")):
        root = c.small()
        before = digest(root)
        other = root.parent / f"{root.name}-data"
        shutil.copytree(root / "data", other)
        breakage(other)
        refused("bad data (build)", attempt, root, before, build(root, env=copy_env(root, TIPKB_DATA=str(other))), expect)
        c.drop(root)
        shutil.rmtree(other, ignore_errors=True)


def _po(root: Path, name="book/countries/arg.po") -> Path:
    return root / "locales/es/LC_MESSAGES" / name


def _first_msgstr(path: Path) -> int:
    return next(i for i, l in enumerate(path.read_text(encoding="utf-8").splitlines())
                if l.startswith('msgstr "') and l != 'msgstr ""')


def _po_line(root, change, name="book/countries/arg.po", which=0):
    path = _po(root, name)
    lines = path.read_text(encoding="utf-8").splitlines()
    idx = [i for i, l in enumerate(lines) if l.startswith('msgstr "') and l != 'msgstr ""'][which]
    lines[idx:idx + 1] = change(lines[idx])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _cut_at_a_space(line: str) -> list[str]:
    cut = line.index(" ", len(line) // 2)
    return [line[:cut] + '"', line[cut:]]


BAD_PO = [
    ("HTML in a msgstr (the page title)", lambda r: _po_line(r, lambda l: [l[:-1] + " " + HOSTILE + '"']), "markup-not-in-english"),
    ("HTML in a msgstr (a paragraph)", lambda r: _po_line(r, lambda l: [l[:-1] + ' <script>alert(1)</script>"'], which=3),
     "markup-not-in-english"),
    ("a MyST role added", lambda r: _po_line(r, lambda l: [l[:-1] + ' {raw}`x`"'], which=2), "markup-not-in-english"),
    ("a substitution added", lambda r: _po_line(r, lambda l: [l[:-1] + ' {{ config }}"'], which=2), "markup-not-in-english"),
    ("syntax error: a continuation line lost its quote", lambda r: _po_line(r, _cut_at_a_space, which=3), "po-syntax"),
    ("syntax error: unterminated string", lambda r: _po_line(r, lambda l: [l[:-1]], which=3), "po-syntax"),
    ("placeholder renamed (sphinx.po)", lambda r: _po(r, "sphinx.po").write_text(
        _po(r, "sphinx.po").read_text(encoding="utf-8") + '\nmsgid "Last updated on %(last_updated)s."\n'
        'msgstr "Actualizado el %(fecha)s."\n', encoding="utf-8"), "%(fecha)s"),
    ("attribute breakout in a theme string (sphinx.po)", lambda r: _text(_po(r, "sphinx.po"), lambda b: b.replace(
        'msgstr "Página"'.encode(), b'msgstr "P\\" onmouseover=\\"alert(1)"')), "template-text-is-plain"),
    ("not UTF-8", lambda r: _text(_po(r), lambda b: b.decode().encode("cp1252", errors="replace")), "utf-8"),
]


def bad_translations_small(c: Copies) -> None:
    for attempt, breakage, expect in BAD_PO:
        root = c.small()
        before = digest(root)
        breakage(root)
        refused("bad translations (build)", attempt, root, before, build(root), expect)
        c.drop(root)
    root = c.small()
    BAD_PO[4][1](root)
    result = subprocess.run([PY, "-m", "tipkb.build.translations", "--check"], cwd=root, env=copy_env(root),
                            capture_output=True, text=True)
    named = [l for l in result.stdout.splitlines() if "po-syntax" in l]
    record("bad translations", "./scripts/translations --check on a syntax error",
           "reported with file and line, exit 1" if named and result.returncode == 1 else "NOT REPORTED",
           named[0] if named else result.stdout[-200:])
    c.drop(root)


# Imports -----------------------------------------------------------------------------------------

def glotip_export(data_dir: Path, path: Path, keep=lambda r: True, change=lambda r: r) -> Path:
    import openpyxl

    from tipkb.importers import glotip

    words = {f: {v: k for k, v in m.items()} for f, m in (("indicator", glotip.INDICATORS), ("dimension", glotip.DIMENSIONS),
                                                          ("form", glotip.FORMS), ("sex", glotip.SEXES), ("age", glotip.AGES))}
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["UNODC"])
    sheet.append(["14/04/2025"])
    sheet.append(glotip.COLUMNS)
    with open(data_dir / "glotip.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if keep(r):
                r = change(dict(r))
                cat = words["form"][r["category"]] if r["dimension"] in ("total", "form") else r["category_raw"]
                sheet.append([r["iso3"], r["iso3"], "Americas", "x", words["indicator"][r["indicator"]],
                              words["dimension"][r["dimension"]], cat, words["sex"][r["sex"]], words["age"][r["age"]],
                              r["year"], "Counts", r["value"], "GLOTIP"])
    book.save(path)
    return path


def tiers_export(data_dir: Path, path: Path, keep=lambda r: True) -> Path:
    from tipkb.importers import policy

    codes = {v: k for k, v in policy.TIER_CODES.items()}
    with open(data_dir / "tip_tiers.csv", newline="", encoding="utf-8") as fh, open(path, "w", encoding="utf-8") as out:
        out.write("countryname,iso,year,ccode,tier\n")
        for r in csv.DictReader(fh):
            if keep(r):
                out.write(f"{r['iso3']},{r['iso3']},{r['year']},0,{codes[r['tier']]}\n")
    return path


def imports(c: Copies) -> None:
    work = c.work / "imports"
    data_dir = work / "data"
    shutil.copytree(ROOT / "data", data_dir)
    env = dict(os.environ, TIPKB_DATA=str(data_dir))

    def run(module_args, attempt, expect_ok=False, table="glotip.csv"):
        before = (data_dir / table).read_bytes()
        result = subprocess.run([PY, "-m", *module_args], capture_output=True, text=True, env=env)
        changed = (data_dir / table).read_bytes() != before
        raw = module_args[-1] if not module_args[-1].startswith("--") else module_args[-2]
        if "Traceback" in result.stderr:
            verdict = "TRACEBACK"
        elif expect_ok:
            verdict = "imported" if result.returncode == 0 else f"REFUSED (exit {result.returncode})"
        elif result.returncode == 0:
            verdict = "ACCEPTED"
        elif changed:
            verdict = "REFUSED BUT DATA CHANGED"
        elif raw not in result.stderr:
            verdict = "refused, file not named"
        else:
            verdict = "refused in one message naming the file; data unchanged"
        record("imports", attempt, verdict, (result.stderr or result.stdout).strip().splitlines()[0] if (result.stderr or result.stdout) else "")

    rows = sum(1 for _ in open(data_dir / "glotip.csv", encoding="utf-8")) - 1
    counter = iter(range(10 ** 6))
    half = glotip_export(data_dir, work / "half.xlsx", keep=lambda r: next(counter) < rows // 2)
    run(["tipkb.importers.glotip", str(half)], "GLOTIP export cut in half")
    run(["tipkb.importers.glotip", str(half), "--allow-shrink"], "GLOTIP export cut in half, --allow-shrink")
    first = next(csv.DictReader(open(data_dir / "glotip.csv", newline="", encoding="utf-8")))
    old = glotip_export(data_dir, work / "y1850.xlsx", change=lambda r: dict(r, year="1850") if r == first else r)
    run(["tipkb.importers.glotip", str(old)], "GLOTIP export with year 1850")
    run(["tipkb.importers.glotip", str(work / "nothing.xlsx")], "missing file")
    (work / "csv.xlsx").write_text("Iso3_code,Country\nARG,Argentina\n", encoding="utf-8")
    run(["tipkb.importers.glotip", str(work / "csv.xlsx")], "a CSV named .xlsx")
    (work / "empty.xlsx").write_bytes(b"")
    run(["tipkb.importers.glotip", str(work / "empty.xlsx")], "empty file")
    (work / "cut.xlsx").write_bytes(half.read_bytes()[:4000])
    run(["tipkb.importers.glotip", str(work / "cut.xlsx")], "workbook cut short (corrupt zip)")
    wrong = glotip_export(data_dir, work / "layout.xlsx", keep=lambda r: False)
    import openpyxl

    book = openpyxl.load_workbook(wrong)
    book.active.delete_rows(3)
    book.save(wrong)
    run(["tipkb.importers.glotip", str(wrong)], "no header row")
    bad_year = glotip_export(data_dir, work / "badyear.xlsx", change=lambda r: dict(r, year="20x9") if r == first else r)
    run(["tipkb.importers.glotip", str(bad_year)], "year '20x9'")
    no_arg22 = lambda r: not (r["iso3"] == "ARG" and r["year"] == "2022")
    smaller = glotip_export(data_dir, work / "smaller.xlsx", keep=no_arg22)
    run(["tipkb.importers.glotip", str(smaller)], "one state loses one year")
    run(["tipkb.importers.glotip", str(smaller), "--allow-shrink"], "one state loses one year, --allow-shrink", expect_ok=True)
    shutil.copy2(ROOT / "data/glotip.csv", data_dir / "glotip.csv")
    same = glotip_export(data_dir, work / "same.xlsx")
    run(["tipkb.importers.glotip", str(same)], "the same export again", expect_ok=True)
    counter2 = iter(range(10 ** 6))
    tiers_half = tiers_export(data_dir, work / "map_tiers.csv", keep=lambda r: next(counter2) % 2 == 0)
    run(["tipkb.importers.policy", "tip_tiers", str(tiers_half)], "TIP tiers, every other row", table="tip_tiers.csv")
    (work / "garbage.csv").write_bytes(b"\x00\xff\xfe garbage")
    run(["tipkb.importers.policy", "tip_tiers", str(work / "garbage.csv")], "TIP tiers, binary garbage", table="tip_tiers.csv")
    leftovers = list(data_dir.glob(".*"))
    record("imports", "temporary files left in data/", "none" if not leftovers else "LEFT: " + ", ".join(p.name for p in leftovers))


# Caches, publication, disk -----------------------------------------------------------------------

def caches_small(c: Copies) -> None:
    def manifest_garbage(r):
        (r / "_build/exec/en/manifest.json").write_text('{"book/countries/arg": {"path": ', encoding="utf-8")

    def manifest_shape(r):
        (r / "_build/exec/en/manifest.json").write_text('{"book/countries/arg": [1, 2, 3]}', encoding="utf-8")

    def db_garbage(r):
        (r / "_build/exec/en/cache/global.db").write_bytes(b"not a database" * 200)

    def db_empty(r):
        (r / "_build/exec/es/cache/global.db").write_bytes(b"")

    def entry_cut(r):
        for p in (r / "_build/exec/en/cache/executed").glob("*/base.ipynb"):
            p.write_text(p.read_text(encoding="utf-8")[:300], encoding="utf-8")

    def entry_gone(r):
        for p in (r / "_build/exec/es/cache/executed").glob("*/base.ipynb"):
            p.unlink()

    for attempt, corrupt in (("manifest not JSON", manifest_garbage), ("manifest of the wrong shape", manifest_shape),
                             ("cache database overwritten", db_garbage), ("cache database emptied", db_empty),
                             ("cached notebook cut short", entry_cut), ("cached notebook deleted", entry_gone)):
        for args in ((), ("--all",)):
            root = c.small()
            edit(root / "book/countries/arg.md", "grouped by the four areas", "grouped by the four areas (k)")
            corrupt(root)
            result = build(root, *args)
            said = [l for l in result.stdout.splitlines() if "unreadable" in l or "not in the execution cache" in l]
            complete("corrupted caches (small)", f"{attempt}{' + --all' if args else ''}", root, result,
                     ("en/book/countries/arg.html", "(k)"), said[0] if said else "")
            c.drop(root)


def publication_small(c: Copies) -> None:
    def two_rename(r):
        site = r / "_build/site"
        target = site.resolve()
        site.unlink()
        target.rename(r / "_build/site.old")

    def link_lost(r):
        (r / "_build/site").unlink()

    def dangling(r):
        site = r / "_build/site"
        shutil.copytree(site.resolve(), r / "_build/sites/older")
        os.utime(r / "_build/sites/older", (1, 1))
        shutil.rmtree(site.resolve())

    def staging_left(r):
        shutil.copytree((r / "_build/site").resolve(), r / "_build/staging/halfway")
        shutil.rmtree(r / "_build/staging/halfway/en")

    for attempt, interrupt in (("crash between the earlier swap's two renames (site.old)", two_rename),
                               ("crash with the site link gone", link_lost),
                               ("site link pointing at a deleted version", dangling),
                               ("half-assembled staging directory left", staging_left)):
        root = c.small()
        before = digest(root) if attempt != "site link pointing at a deleted version" else None
        interrupt(root)
        set_cells(root / "data/glotip.csv", ARG_2022, "value", "-3")  # and the next build fails on bad data
        result = build(root)
        ok = result.returncode != 0 and not incomplete(root) and (before is None or digest(root) == before)
        leftovers = list((root / "_build/staging").glob("*")) + [p for p in (root / "_build").glob("site.*") if p.name != "site.fingerprint"]
        record("interrupted publication (small)", attempt,
               "last good site restored by the next (failing) build" if ok and not leftovers else
               f"PROBLEM: exit {result.returncode}, gaps {incomplete(root)[:3]}, leftovers {leftovers[:2]}",
               "; ".join(l for l in result.stdout.splitlines() if l.startswith("site:")))
        c.drop(root)


def full_disk(c: Copies) -> None:
    if os.geteuid() != 0:
        record("full disk", "tmpfs", "not run (needs root to mount a tmpfs)")
        return
    for spare_mb in (1, 4, 12):
        mount = c.work / f"disk-{spare_mb}"
        mount.mkdir()
        source = c.small()
        used_kb = int(subprocess.run(["du", "-sk", str(source)], capture_output=True, text=True).stdout.split()[0])
        total = used_kb // 1024 + spare_mb + 1
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={total}m", "tmpfs", str(mount)], check=True)
        try:
            root = clone_built(source, mount / "book")
            edit(root / "book/countries/arg.md", "grouped by the four areas", "grouped by the four areas (d)")
            set_cells(root / "data/glotip.csv", ARG_2022, "value", lambda v: str(int(v) + 1))
            before = digest(root)
            result = build(root)
            if result.returncode == 0:
                complete("full disk (tmpfs)", f"{spare_mb} MB free at the start", root, result)
            else:
                refused("full disk (tmpfs)", f"{spare_mb} MB free at the start", root, before, result)
            shutil.rmtree(root / "_build/staging", ignore_errors=True)
        finally:
            subprocess.run(["umount", str(mount)], check=False)
        c.drop(source)


def browser_small(c: Copies) -> None:
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    from conftest import chromium_options

    root = c.small()
    probe = ("---\nfile_format: mystnb\nkernelspec:\n  name: python3\n  display_name: Python 3\n---\n\n# Probe\n\n"
             "```{code-cell} ipython3\nimport tipkb.book as kb\nkb.data_files()\n```\n")
    (root / "book/probe.md").write_text(probe, encoding="utf-8")
    (root / "_toc.yml").write_text((root / "_toc.yml").read_text(encoding="utf-8") + "  - file: book/probe\n", encoding="utf-8")
    labels = {"col_table": "Table " + HOSTILE,
              "practice_source": "Source: {source} — {who}, {when}. " + HOSTILE + " Checked in the source on {checked}.",
              "cite_text": "{title}. " + HOSTILE + " In: {site}, {year}. {url} (accessed {date}). Licence: CC BY 4.0."}
    for code, value in labels.items():
        set_cells(root / "data/codebook.csv", lambda r, code=code: (r["domain"], r["code"]) == ("ui", code), "label_en", value)
    set_cells(root / "data/practices.csv", lambda r: r["iso3"] == "ARG" and r["status"] == "published", "description_en",
              lambda v: v + " " + HOSTILE + " <script>alert(2)</script>")
    bypass = ("import sys, tipkb.validate as v; v.validate = lambda *a, **k: []; "
              "from tipkb.build import site; sys.exit(site.main([]))")
    result = subprocess.run([PY, "-c", bypass], cwd=root, env=copy_env(root), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    server = subprocess.Popen([PY, "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(root / "_build/site")],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = server.stdout.readline()
    port = re.search(r"port (\d+)", line).group(1)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=chromium_options("en"))
    try:
        for page, what in (("en/book/probe.html", "label in a table header (validation bypassed)"),
                           ("en/book/countries/arg.html", "labels in the practice-source sentence and 'how to cite', "
                                                          "script in a practice description (validation bypassed)"),
                           ("en/search.html?q=" + HOSTILE, "search query")):
            driver.get(f"http://127.0.0.1:{port}/{page}")
            time.sleep(2 if "search" in page else 0.5)
            try:
                WebDriverWait(driver, 2).until(expected_conditions.alert_is_present())
                alert = True
                driver.switch_to.alert.accept()
            except TimeoutException:
                alert = False
            injected = driver.find_elements(By.CSS_SELECTOR, 'img[src="x"]')
            record("hostile strings in a browser", what, "no alert, no injected element" if not alert and not injected
                   else f"INJECTED: alert={alert}, elements={len(injected)}", page)
    finally:
        driver.quit()
        server.terminate()
    c.drop(root)


# Whole book -------------------------------------------------------------------------------------

def full_book(c: Copies) -> None:
    ignore = shutil.ignore_patterns(".venv", ".git", "_work", "__pycache__", ".pytest_cache", "node_modules", "subpath-root",
                                    "test-artifacts")
    base = c.work / "full-base"
    shutil.copytree(ROOT, base, ignore=ignore, symlinks=True)
    add_fault_hook(base)
    t0 = time.monotonic()
    first = build(base)
    assert first.returncode == 0, first.stderr
    record("whole book", "baseline build of the copy", "published complete" if not incomplete(base) else "INCOMPLETE",
           f"{time.monotonic() - t0:.0f} s")

    def clone(name):
        return clone_built(base, c.work / name)

    for delay in (1.0, 5.0, 15.0):
        root = clone(f"full-conc-{delay}")
        edit(root / "book/about.md", "\n\n", f"\n\nConcurrent edit {delay}.\n\n")
        one = start(root)
        time.sleep(delay)
        two = build(root)
        out, err = one.communicate(timeout=1800)
        codes = (one.returncode, two.returncode)
        third = build(root)
        state = incomplete(root)
        html = sum(1 for _ in (root / "_build/site").rglob("*.html"))
        verdict = ("one published, the other refused in one line; site complete" if sorted(codes) == [0, 75] and not state
                   else f"codes {codes}, gaps {state[:4]}")
        record("concurrent builds (whole book)", f"second build {delay} s after the first", verdict,
               f"{html} HTML files published; third build exit {third.returncode}: "
               + (third.stdout.strip().splitlines() or [""])[0])
        c.drop(root)

    # Kill during Sphinx after a data change that reaches many pages; compare with the same change
    # built without interruption.
    def change(root):
        return set_cells(root / "data/glotip.csv", lambda r: r["year"] == "2019" and r["dimension"] == "total"
                         and r["value"].isdigit(), "value", lambda v: str(int(v) + 1))

    reference_root = clone("full-kill-reference")
    changed = change(reference_root)
    t0 = time.monotonic()
    assert build(reference_root).returncode == 0
    reference = published(reference_root)
    record("whole book", f"reference: {changed} GLOTIP values changed, built without interruption",
           "published complete" if not incomplete(reference_root) else "INCOMPLETE", f"{time.monotonic() - t0:.0f} s")
    for attempt, how in (("kill -9 of the build's group at write-started (en)", "hook"),
                         ("kill -9 of the build's group 4 s into Sphinx", 4.0),
                         ("kill -9 of the build's group 12 s into Sphinx", 12.0)):
        root = clone(f"full-kill-{how}")
        change(root)
        if how == "hook":
            proc = start(root, env=copy_env(root, KB_FAULT="kill", KB_FAULT_LANG="en"))
            proc.communicate(timeout=1800)
        else:
            proc = start(root)
            wait_for(proc, "jupyter-book", 1800)
            time.sleep(how)
            children = descendants(proc)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=60)
            reap(children)
        t0 = time.monotonic()
        rebuilt = build(root)
        now = published(root)
        differ = [k for k in reference if now.get(k) != reference[k]] + [k for k in now if k not in reference]
        verdict = ("repaired: identical to the uninterrupted build" if rebuilt.returncode == 0 and not differ
                   else f"STALE: {len(differ)} file(s) differ, rebuild exit {rebuilt.returncode}")
        note = [l for l in rebuilt.stdout.splitlines() if "did not finish" in l]
        record("kill during Sphinx (whole book)", attempt, verdict,
               f"rebuild {time.monotonic() - t0:.0f} s; " + "; ".join(note)[:150] + "; " + ", ".join(differ[:3]))
        c.drop(root)


CATEGORIES = {"concurrent": concurrent_small, "kills": kills_small, "signals": signals_small, "data": bad_data_small,
              "translations": bad_translations_small, "imports": imports, "caches": caches_small,
              "publication": publication_small, "disk": full_disk, "browser": browser_small}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--only", action="append", choices=list(CATEGORIES) + ["full"])
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="tipkb-campaign-"))
    os.chdir(ROOT)
    print("| Category | Try | Verdict | Detail |\n| --- | --- | --- | --- |", flush=True)
    try:
        c = Copies(work)
        for name, run in CATEGORIES.items():
            if not args.only or name in args.only:
                try:
                    run(c)
                except Exception as err:  # a try that could not be set up is recorded as such
                    record(name, "campaign step", f"NOT RUN: {type(err).__name__}", str(err)[:200])
        if args.full or (args.only and "full" in args.only):
            full_book(c)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{len(ROWS)} tries", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
