"""Build the whole bilingual site into _build/site, or leave the last good one untouched.

Steps: validate data/ -> execute notebooks (tipkb.build.execute) -> one Jupyter Book build per
language, side by side (each on its own core) -> assemble ``_build/site.next`` (both languages,
the language chooser at the root, the downloadable data, the Pagefind index) -> check it -> swap
it in for ``_build/site``. Any failure stops before the swap.
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

from .. import lang as langs
from .. import paths
from . import config, execute, extras

SPHINX_DIR = paths.BUILD / "sphinx"
LOG_DIR = paths.BUILD / "logs"
STAMP = paths.BUILD / "validated.sha256"
NEXT = paths.BUILD / "site.next"
OLD = paths.BUILD / "site.old"


class BuildError(RuntimeError):
    pass


def _data_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(paths.DATA.glob("*")):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def validate_data(log) -> None:
    from .. import validate

    fingerprint = _data_fingerprint()
    if STAMP.exists() and STAMP.read_text() == fingerprint:
        log("data: unchanged since last validation")
        return
    problems = validate.validate()
    if problems:
        raise BuildError("data validation failed:\n" + "\n".join(validate.report(problems))
                         + "\nFix the data; the published site was not touched.")
    STAMP.parent.mkdir(parents=True, exist_ok=True)
    STAMP.write_text(fingerprint)
    log("data: valid")


def html_dir(lang: str) -> Path:
    return SPHINX_DIR / lang / "_build" / "html"


def start_sphinx(lang: str, full: bool) -> tuple[subprocess.Popen, Path]:
    cfg = config.write_lang_config(lang, paths.BUILD / "config" / lang, execute.cache_dir(lang),
                                   execute.manifest_path(lang))
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / f"sphinx-{lang}.log"
    toc = config.write_lang_toc(lang, paths.BUILD / "config" / lang)
    cmd = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(paths.ROOT), "--config", str(cfg),
           "--toc", str(toc),
           "--path-output", str(SPHINX_DIR / lang), "--builder", "html", "-W", "--keep-going", "-q"]
    if full:
        cmd.append("--all")
    env = dict(os.environ, **{langs.ENV_VAR: lang, "MPLBACKEND": "agg"})
    proc = subprocess.Popen(cmd, cwd=paths.ROOT, env=env, stdout=open(log_path, "w"), stderr=subprocess.STDOUT)
    return proc, log_path


def build_languages(languages, full: bool, log) -> None:
    started = {lang: start_sphinx(lang, full) for lang in languages}
    failed = []
    for lang, (proc, log_path) in started.items():
        if proc.wait() != 0:
            failed.append((lang, log_path))
    for lang, log_path in failed:
        text = log_path.read_text(encoding="utf-8", errors="replace")
        lines = [l for l in text.splitlines() if "WARNING" in l or "ERROR" in l or "Error" in l]
        log(f"--- {lang}: Sphinx failed (full log: {log_path.relative_to(paths.ROOT)})")
        log("\n".join(lines[-40:] or text.splitlines()[-40:]))
    if failed:
        raise BuildError("Sphinx reported warnings or errors (treated as errors); the published site was not touched.")


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


def assemble(languages, log) -> None:
    if NEXT.exists():
        shutil.rmtree(NEXT)
    NEXT.mkdir(parents=True)
    for lang in languages:
        shutil.copytree(html_dir(lang), NEXT / lang, ignore=shutil.ignore_patterns(".buildinfo", "_sources"))
        prune_unreferenced(NEXT / lang)
    extras.write_extras(NEXT)
    # Heading anchors ("#") would otherwise appear in result excerpts.
    result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(NEXT), "--quiet",
                             "--glob", "*/book/**/*.html", "--exclude-selectors", "a.headerlink"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError("Pagefind failed:\n" + result.stdout + result.stderr)
    log("search index: built")


def publish(log) -> None:
    """Swap the new site in; the old one is removed only once the new one is in place."""
    if OLD.exists():
        shutil.rmtree(OLD)
    if paths.SITE.exists():
        paths.SITE.rename(OLD)
    NEXT.rename(paths.SITE)
    if OLD.exists():
        shutil.rmtree(OLD)
    log(f"site: {paths.SITE.relative_to(paths.ROOT)}")


FINGERPRINT = paths.BUILD / "site.fingerprint"
INPUTS = ("book", "locales", "data", "_templates", "_static", "tipkb")
INPUT_FILES = ("_config.yml", "_toc.yml", "requirements.txt")


def inputs_fingerprint() -> str:
    """Hash of everything the site is built from (sources, data, translations, templates, code,
    pins and the environment variables the build reads)."""
    digest = hashlib.sha256()
    files = [paths.ROOT / f for f in INPUT_FILES]
    for folder in INPUTS:
        files += [p for p in (paths.ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and p.suffix != ".mo"]
    for path in sorted(files):
        digest.update(path.relative_to(paths.ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(os.environ.get("KB_SITE_URL", "").encode() + sys.version.encode())
    # Pages show their last commit date: a new commit is a change even if no file differs.
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True, text=True)
    digest.update(head.stdout.encode())
    return digest.hexdigest()


def build(languages=langs.LANGS, full: bool = False, log=print) -> float:
    start = time.perf_counter()
    fingerprint = inputs_fingerprint()
    if not full and paths.SITE.exists() and FINGERPRINT.exists() and FINGERPRINT.read_text() == fingerprint:
        log("nothing changed since the last build: _build/site is up to date")
        return time.perf_counter() - start
    validate_data(log)
    summary = execute.execute(languages, log=log)
    for lang in languages:
        log(f"notebooks [{lang}]: executed {len(summary.executed[lang])}, reused {summary.reused[lang]}")
    build_languages(languages, full, log)
    assemble(languages, log)
    publish(log)
    FINGERPRINT.write_text(fingerprint)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Build the bilingual site into _build/site.")
    parser.add_argument("--all", action="store_true", help="make Sphinx re-read every page")
    args = parser.parse_args(argv)
    try:
        seconds = build(full=args.all)
    except (BuildError, RuntimeError) as err:
        print(f"BUILD FAILED: {err}", file=sys.stderr)
        return 1
    print(f"Built in {seconds:.1f} s. Open _build/site/index.html, or serve it with:\n"
          f"  python3 -m http.server --directory _build/site 8000   # then http://localhost:8000/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
