"""Benchmark of the whole bilingual build, measured in one run on a private copy of the project.

Measures (a) a default Jupyter Book build, one language after the other, executing every notebook;
(b) the project's cold build; (c) a rebuild with nothing changed; (d) a rebuild after editing one
chapter's text; (e) a rebuild after changing one value for one country in data/; (f) a rebuild
after a translator's one-word fix to one Spanish chart caption in data/codebook.csv. For each: wall
time, CPU time of the process tree, peak memory of the process tree, notebooks executed (and, for e
and f, which). Prints the ratios b/a and e/b and checks them against the targets. Also reports page
weights.

``--scale N`` repeats the measurement of (b) on a book enlarged N times (pages and data rows) to
show how the build grows. Timings are printed, not asserted: machines are shared and noisy.
"""
from __future__ import annotations

import argparse
import csv
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from .. import lang as langs
from .. import paths
from . import config, weights

COPY_IGNORE = shutil.ignore_patterns("_build", ".venv", ".git", "_work", "__pycache__", ".pytest_cache")


@dataclass
class Run:
    name: str
    wall: float
    cpu: float
    peak_mb: float
    executed: int
    detail: str = ""
    steps: str = ""    # the build's own "time:" line: seconds per step
    load: float = 0.0  # 1-minute load average before the run: other work on a shared machine


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc] + proc.children(recursive=True):
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def measure(name: str, cmd: list[str], cwd: Path, env: dict) -> tuple[Run, str]:
    """Run a command, sampling the memory of its whole process tree; CPU time from wait4."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    ps = psutil.Process(proc.pid)
    peak = 0
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(proc.stdout), daemon=True)
    reader.start()
    while True:
        # wait4 (not Popen.poll) so that we get the CPU time of the whole reaped process tree.
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            break
        try:
            peak = max(peak, _tree_rss(ps))
        except psutil.Error:
            pass
        time.sleep(0.2)
    reader.join()
    wall = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    text = "".join(output)
    if proc.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{text[-3000:]}")
    return Run(name, wall, cpu, peak / 2**20, _executed(text)), text


def _executed(text: str) -> int:
    """Notebooks the project build executed (it prints one count per language; none when up to date)."""
    return sum(int(c) for c in re.findall(r"notebooks \[\w+\]: executed (\d+)", text))


def copy_project(target: Path) -> Path:
    shutil.copytree(paths.ROOT, target, ignore=COPY_IGNORE)
    return target


def env_for(root: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root) + os.pathsep + env.get("PYTHONPATH", "")  # the copy's tipkb, not ours
    return env


def default_build(root: Path, env: dict, out: Path) -> Run:
    """(a) What Jupyter Book does by default: each language in turn, every notebook executed."""
    total = Run("a. default Jupyter Book build (serial, no cache)", 0, 0, 0, 0)
    jb = str(Path(sys.executable).parent / "jupyter-book")
    for lang in langs.LANGS:
        cfg = config.lang_config(lang, out / f"cache-{lang}", out / "no-manifest.json")
        cfg["execute"]["execute_notebooks"] = "force"
        cfg_path = out / f"config-{lang}" / "_config.yml"
        cfg_path.parent.mkdir(parents=True, exist_ok=True)
        import yaml

        cfg_path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
        run, text = measure(f"default {lang}", [jb, "build", str(root), "--config", str(cfg_path), "--path-output",
                                                str(out / f"html-{lang}"), "--all", "-v"],
                            root, dict(env, TIPKB_LANG=lang, MPLBACKEND="agg"))
        total.wall += run.wall
        total.cpu += run.cpu
        total.peak_mb = max(total.peak_mb, run.peak_mb)
        total.executed += len(re.findall(r"Executing notebook", text))
    return total


def project_build(root: Path, env: dict, name: str) -> tuple[Run, str]:
    load = os.getloadavg()[0]
    run, text = measure(name, [sys.executable, "-m", "tipkb.build.site"], root, env)
    run.load = load
    run.steps = next((line[len("time: "):] for line in text.splitlines() if line.startswith("time: ")), "")
    return run, text


def edit_text(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` once; an edit that finds nothing to change is an error (a
    benchmark of no change would measure the wrong thing)."""
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"bench: {path}: the text to edit is not there any more: {old!r}")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_chapter(root: Path) -> str:
    edit_text(root / "book" / "themes" / "protection.md", "the role\nof consulates and diplomatic missions.",
              "the role\nof consulates and diplomatic missions abroad.")
    return "book/themes/protection.md (Markdown text of a notebook page)"


def edit_label(root: Path) -> str:
    """A translator's fix: one word of one Spanish caption, shown on one page."""
    lang = langs.translations()[0]
    with open(root / "data" / "codebook.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    row = next(r for r in rows if (r["domain"], r["code"]) == ("ui", "crim_caption"))
    edit_text(root / "data" / "codebook.csv", row[f"label_{lang}"], row[f"label_{lang}"].replace(" ", "  ", 1).replace("  ", " (ed.) ", 1))
    return f"data/codebook.csv: ui/crim_caption, label_{lang} (one word added)"


def rewrite_csv(path: Path, change) -> list[dict]:
    """Replace the rows of a CSV file by ``change(rows)``; returns the new rows."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
        fields = list(rows[0].keys())
    rows = change(rows)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return rows


def change_value(root: Path) -> str:
    def plus_one(rows):
        for row in rows:
            if (row["iso3"], row["indicator"], row["dimension"], row["sex"], row["age"], row["year"]) == (
                    "ARG", "detected_victims", "total", "total", "total", "2022"):
                row["value"] = str(int(row["value"]) + 1)
                break
        return rows

    rewrite_csv(root / "data" / "glotip.csv", plus_one)
    return "data/glotip.csv: Argentina, detected victims, 2022, +1"


def enlarge(root: Path, factor: int) -> str:
    """A synthetic enlargement: every country page repeated ``factor`` times and every GLOTIP row
    repeated ``factor`` times (as extra rows of the same keys). Never published."""
    import yaml

    toc_path = root / "_toc.yml"
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    countries = next(p for p in toc["parts"] if p["chapters"][0]["file"] == "book/countries/index")
    pages = countries["chapters"][1:]  # the country pages follow the part's index page
    extra = []
    for page in list(pages):
        src = root / f"{page['file']}.md"
        for k in range(2, factor + 1):
            copy = src.with_name(f"{src.stem}-x{k}.md")
            text = src.read_text(encoding="utf-8").replace(f"({src.stem}-practices)=", f"({src.stem}-x{k}-practices)=")
            copy.write_text(text, encoding="utf-8")
            extra.append({"file": f"{page['file']}-x{k}"})
    countries["chapters"] += extra
    toc_path.write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    grown = rewrite_csv(root / "data" / "glotip.csv",
                        lambda rows: rows + [dict(r, seq=str(int(r["seq"]) + 100 * k))
                                             for k in range(2, factor + 1) for r in rows])
    return f"{len(pages) + len(extra)} country pages, {len(grown)} GLOTIP rows"


def executed_pages(text: str) -> list[str]:
    return re.findall(r"executing \d+ notebook\(s\) on \d+ kernel\(s\): (.*)", text)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-default", action="store_true", help="do not measure (a), the slow baseline")
    parser.add_argument("--scale", type=int, default=0, help="also measure a cold build of a book enlarged N times")
    args = parser.parse_args(argv)

    print(f"machine: {platform.node()} · {os.cpu_count()} cores · {psutil.virtual_memory().total / 2**30:.0f} GiB · "
          f"Python {platform.python_version()} · {platform.platform()}")
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        root = copy_project(Path(tmp) / "project")
        env = env_for(root)
        if not args.skip_default:
            runs.append(default_build(root, env, Path(tmp) / "default"))
            print(_row(runs[-1]), flush=True)
        b, _ = project_build(root, env, "b. project build, cold")
        runs.append(b)
        print(_row(b), flush=True)
        c, _ = project_build(root, env, "c. rebuild, nothing changed")
        runs.append(c)
        print(_row(c), flush=True)
        what = edit_chapter(root)
        d, _ = project_build(root, env, "d. rebuild after editing one chapter's text")
        d.detail = what
        runs.append(d)
        print(_row(d), flush=True)
        what = change_value(root)
        e, text = project_build(root, env, "e. rebuild after changing one data value")
        e.detail = what + "; executed: " + "; ".join(executed_pages(text))
        runs.append(e)
        print(_row(e), flush=True)
        what = edit_label(root)
        f, text = project_build(root, env, "f. rebuild after a one-word Spanish label fix")
        f.detail = what + "; executed: " + "; ".join(executed_pages(text))
        runs.append(f)
        print(_row(f), flush=True)
        sizes = weights.report(root / "_build" / "site")
        if args.scale:
            big = copy_project(Path(tmp) / "enlarged")
            grown = enlarge(big, args.scale)
            s, _ = project_build(big, env_for(big), f"b×{args.scale}. project build, cold, enlarged")
            s.detail = grown
            runs.append(s)
            print(_row(s), flush=True)

    by = {r.name.split(".", 1)[0]: r for r in runs}  # "a", "b", "c", "d", "e", "b×N"
    print()
    print(f"{'step':<52} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'notebooks':>9}")
    for r in runs:
        print(_row(r))
        if r.detail:
            print(f"    {r.detail}")
        if r.steps:
            print(f"    steps: {r.steps}; load average before: {r.load:.1f}")
    print()
    if "a" in by:
        print(f"b/a = {by['b'].wall / by['a'].wall:.2f}  (target ≤ 0.40)")
    print(f"c   = {by['c'].wall:.1f} s  (target ≤ 10 s)")
    print(f"d executed {by['d'].executed} notebook(s)  (target 0)")
    print(f"e/b = {by['e'].wall / by['b'].wall:.2f}  (target ≤ 0.25); e executed {by['e'].executed} notebook(s)")
    print(f"d   = {by['d'].wall:.1f} s  (target ≤ 10 s)")
    source = langs.DEFAULT
    in_source = [p for p in executed_pages_of(by["f"]) if p.startswith(f"{source}:")]
    print(f"f executed {by['f'].executed} notebook(s), {len(in_source)} in {source}  (target: 0 in {source}, "
          "only the pages that show the label)")
    for key, run in by.items():
        if key.startswith("b×"):
            print(f"{key}/b = {run.wall / by['b'].wall:.2f} for {run.detail}; notebooks {run.executed} vs {by['b'].executed}")
    print()
    print(sizes)
    return 0


def executed_pages_of(run: Run) -> list[str]:
    listed = run.detail.split("executed: ", 1)[1] if "executed: " in run.detail else ""
    return [p.strip() for p in re.split(r"[;,]", listed) if ":" in p]


def _row(r: Run) -> str:
    return f"{r.name:<52} {r.wall:>8.1f} {r.cpu:>8.1f} {r.peak_mb:>8.0f} {r.executed:>9}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
