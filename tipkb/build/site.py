"""Build the whole bilingual site into _build/site, or leave the last good one untouched.

Steps, with the build lock held (one build at a time; a second one stops at once): finish what an
interrupted build left (tipkb.build.publish.recover) -> check the translations (tipkb.build.
translations) and validate the data the notebooks will read -> execute notebooks (tipkb.build.
execute) -> one Jupyter Book build per language, side by side -> assemble the site in a directory
of this build's own (both languages, the language chooser at the root, the downloadable data, the
Pagefind index) -> check that it is complete -> publish it in one atomic step -> record the inputs'
fingerprint. Any failure, or a stop signal, ends the build before publication.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote

from .. import data, paths
from .. import lang as langs
from . import config, execute, extras, procs, publish, translations

SPHINX_DIR = paths.BUILD / "sphinx"
LOG_DIR = paths.BUILD / "logs"
STAMP = paths.BUILD / "validated.sha256"


class BuildError(RuntimeError):
    pass


def _data_fingerprint(data_dir: Path) -> str:
    """The data files, where they are, and the rules they were checked with."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode() + b"\0")
    digest.update((paths.ROOT / "tipkb" / "validate.py").read_bytes())
    for path in sorted(data_dir.glob("*")):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def validate_data(log) -> None:
    """Validate the directory the notebooks will read (``TIPKB_DATA`` or data/)."""
    from .. import validate

    data_dir = data.data_dir()
    fingerprint = _data_fingerprint(data_dir) if data_dir.is_dir() else ""
    if fingerprint and STAMP.exists() and STAMP.read_text() == fingerprint:
        log(f"data: unchanged since last validation ({_shown(data_dir)})")
        return
    problems = validate.validate(data_dir)
    if problems:
        raise BuildError("data validation failed:\n" + "\n".join(validate.report(problems))
                         + "\nFix the data.")
    STAMP.parent.mkdir(parents=True, exist_ok=True)
    STAMP.write_text(fingerprint)
    log(f"data: valid ({_shown(data_dir)})")


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def check_translations(languages, log) -> None:
    problems = [p for lang in languages if lang != langs.DEFAULT for p in translations.check(lang)]
    if problems:
        raise BuildError("translation files refused:\n" + "\n".join(str(p) for p in problems[:40])
                         + (f"\n… and {len(problems) - 40} more" if len(problems) > 40 else "")
                         + "\nFix the .po files.")
    log("translations: checked")


def html_dir(lang: str) -> Path:
    return SPHINX_DIR / lang / "_build" / "html"


def in_progress_marker(lang: str) -> Path:
    """Present while Sphinx works on a language, and after a Sphinx run that did not succeed.

    Sphinx saves what it has read before it writes the pages, and it decides what to re-read by
    source dates, the execution manifest and that saved state: after a run killed between the two
    (or one that failed half-way) it would keep pages it never wrote. The next build therefore
    re-reads every page of a language whose marker it finds."""
    return SPHINX_DIR / lang / "in-progress"


def start_sphinx(lang: str, full: bool, lock_fd: int | None, log) -> tuple[subprocess.Popen, Path]:
    cfg = config.write_lang_config(lang, paths.BUILD / "config" / lang, execute.cache_dir(lang),
                                   execute.manifest_path(lang))
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / f"sphinx-{lang}.log"
    toc = config.write_lang_toc(lang, paths.BUILD / "config" / lang)
    cmd = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(paths.ROOT), "--config", str(cfg),
           "--toc", str(toc),
           "--path-output", str(SPHINX_DIR / lang), "--builder", "html", "-W", "--keep-going", "-q"]
    marker = in_progress_marker(lang)
    if marker.exists() and not full:
        log(f"sphinx [{lang}]: the last Sphinx run did not finish cleanly ({marker.read_text().strip()}); "
            f"re-reading every page")
        full = True
    if full:
        cmd.append("--all")
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(f"started by pid {os.getpid()} at {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
    env = dict(os.environ, **{langs.ENV_VAR: lang, "MPLBACKEND": "agg"})
    with open(log_path, "w") as out:
        # The Sphinx process holds the build lock too: if the build dies, no other build starts
        # while it still writes.
        proc = procs.popen(cmd, cwd=paths.ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                           pass_fds=(lock_fd,) if lock_fd is not None else ())
    return proc, log_path


def build_languages(languages, full: bool, log, lock_fd: int | None = None) -> None:
    started = {lang: start_sphinx(lang, full, lock_fd, log) for lang in languages}
    failed = []
    for lang, (proc, log_path) in started.items():
        if procs.wait(proc) == 0:
            in_progress_marker(lang).unlink(missing_ok=True)
        else:
            failed.append((lang, log_path))
    for lang, log_path in failed:
        text = log_path.read_text(encoding="utf-8", errors="replace")
        lines = [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line or "Error" in line]
        log(f"--- {lang}: Sphinx failed (full log: {log_path.relative_to(paths.ROOT)})")
        log("\n".join(lines[-40:] or text.splitlines()[-40:]))
    if failed:
        raise BuildError("Sphinx reported warnings or errors (treated as errors).")


LINK = re.compile(r'(?:src|href)="([^"#?]+)')


def prune_unreferenced(site_lang: Path) -> int:
    """Delete images and downloads that no page links to.

    Sphinx never removes files from an incremental build's _images and _downloads, so without
    this a site would keep serving every earlier version of a chart and its CSV."""
    used = set()
    for page in site_lang.rglob("*.html"):
        for url in LINK.findall(page.read_text(encoding="utf-8")):
            if "://" not in url:
                used.add((page.parent / unquote(url)).resolve())
    removed = 0
    for folder in ("_images", "_downloads"):
        for path in sorted((site_lang / folder).rglob("*"), reverse=True):
            if path.is_file() and path.resolve() not in used:
                path.unlink()
                removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return removed


SEARCH_TIMEOUT = 900  # seconds; the search index takes a few


def assemble(site: Path, languages, log) -> None:
    """Put the finished site together in ``site``, a directory of this build's own."""
    # The search index (tipkb.search, through Pagefind's Python API) is written on the other core
    # while this one copies the pages: it reads Sphinx's pages, which the copy does not change.
    site.mkdir(parents=True, exist_ok=True)
    index = procs.popen([sys.executable, "-m", "tipkb.search", str(site)]
                        + [f"--pages={lang}={html_dir(lang)}" for lang in languages],
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for lang in languages:
            shutil.copytree(html_dir(lang), site / lang, ignore=shutil.ignore_patterns(".buildinfo", "_sources"))
            prune_unreferenced(site / lang)
        extras.write_extras(site)
        said = index.communicate(timeout=SEARCH_TIMEOUT)[0]
    except BaseException as err:
        index.terminate()  # it stops its Pagefind services on the way out (tipkb.search._stop_with)
        try:
            index.wait(5)
        except subprocess.TimeoutExpired:
            index.kill()
        procs.wait(index)
        if isinstance(err, subprocess.TimeoutExpired):
            raise BuildError(f"the search index took more than {SEARCH_TIMEOUT} s: stopped") from None
        raise
    if procs.wait(index) != 0:
        raise BuildError("Pagefind failed:\n" + said)
    log(said.strip() or "search index: built")


INPUTS = ("book", "locales", "data", "_templates", "_static", "tipkb")
INPUT_FILES = ("_config.yml", "_toc.yml", "requirements.txt")


def inputs_fingerprint() -> str:
    """Hash of everything the site is built from (sources, data, translations, templates, code,
    pins and the environment variables the build reads)."""
    digest = hashlib.sha256()
    files = [paths.ROOT / f for f in INPUT_FILES]
    folders = [paths.ROOT / f for f in INPUTS]
    if data.data_dir().resolve() != paths.DATA.resolve():
        folders.append(data.data_dir())  # TIPKB_DATA: what the notebooks read
    for folder in folders:
        files += [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and p.suffix != ".mo"]
    for path in sorted(files):
        digest.update(_shown(path).encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(os.environ.get("KB_SITE_URL", "").encode() + sys.version.encode())
    digest.update(str(data.data_dir().resolve()).encode())
    # Pages show their last commit date: a new commit is a change even if no file differs.
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True, text=True)
    digest.update(head.stdout.encode())
    return digest.hexdigest()


class _Progress:
    published = False


class _Steps:
    """Seconds per step, printed at the end: where a contributor's rebuild spends its time."""

    def __init__(self, log):
        self.log, self.last, self.times = log, time.perf_counter(), []

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.times.append((name, now - self.last))
        self.last = now

    def summary(self) -> None:
        self.log("time: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.times))


def build(languages=langs.LANGS, full: bool = False, log=print, progress: _Progress | None = None) -> float:
    start = time.perf_counter()
    progress = progress or _Progress()
    with publish.exclusive_lock() as lock_fd:
        publish.recover(log)
        fingerprint = inputs_fingerprint()
        if not full and publish.is_up_to_date(fingerprint):
            log("nothing changed since the last build: _build/site is up to date")
            return time.perf_counter() - start
        step = _Steps(log)
        check_translations(languages, log)
        validate_data(log)
        step.done("checks")
        summary = execute.execute(languages, log=log)
        for lang in languages:
            log(f"notebooks [{lang}]: executed {len(summary.executed[lang])}, reused {summary.reused[lang]}")
        step.done("notebooks")
        build_languages(languages, full, log, lock_fd)
        step.done("sphinx")
        version = publish.new_version_id()
        staged = publish.staging_dir(version)
        try:
            assemble(staged, languages, log)
            step.done("assemble and search index")
            publish.check_complete(staged, languages, execute.toc_docnames())
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
        publish.publish(staged, version, log)
        step.done("check and publish")
        step.summary()
        progress.published = True
        publish.write_fingerprint(fingerprint, version)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Build the bilingual site into _build/site.")
    parser.add_argument("--all", action="store_true", help="make Sphinx re-read every page")
    args = parser.parse_args(argv)
    procs.install()
    progress = _Progress()
    try:
        seconds = build(full=args.all, progress=progress)
    except publish.BuildBusy as err:
        print(f"BUILD REFUSED: {err}", file=sys.stderr)
        return 75  # EX_TEMPFAIL: try again later
    except procs.Interrupted as stop:
        procs.stop_all()
        state = ("the new site had already been published" if progress.published
                 else "the published site was not touched")
        print(f"BUILD INTERRUPTED by {stop.name}: {procs.stopped()} child process(es) stopped; {state}.",
              file=sys.stderr)
        return 128 + stop.signum
    except (BuildError, publish.Incomplete, RuntimeError, OSError) as err:
        procs.stop_all()
        state = ("The new site had already been published." if progress.published
                 else "The published site was not touched.")
        print(f"BUILD FAILED: {_said(err)}\n{state}", file=sys.stderr)
        return 1
    print(f"Built in {seconds:.1f} s. Open _build/site/index.html, or serve it with:\n"
          f"  python3 -m http.server --directory _build/site 8000   # then http://localhost:8000/")
    return 0


def _said(err: BaseException) -> str:
    """An error as the build reports it: file errors in one line (a full disk fails every file of
    a copy at once), the build's own messages as they are."""
    if isinstance(err, shutil.Error) and err.args and isinstance(err.args[0], list) and err.args[0]:
        errors = err.args[0]
        return f"{errors[0][-1]}" + (f" (and {len(errors) - 1} more file(s))" if len(errors) > 1 else "")
    if isinstance(err, OSError) and err.strerror:
        return f"{err.strerror}: {err.filename}" if err.filename else err.strerror
    return str(err)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
