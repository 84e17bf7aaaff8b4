"""A small copy of the project (one country page) that tests can build, break and rebuild
without touching the real book: the copy's own tipkb is imported (PYTHONPATH), so its build
writes only inside the copy."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns("_build", ".venv", ".git", "_work", "__pycache__", ".pytest_cache")

SMOKE_PAGE = """# Smoke test book

A two-page copy of the knowledge base used by the tests. See [Argentina](countries/arg.md).
"""

SMALL_TOC = """format: jb-book
root: book/smoke
chapters:
  - file: book/countries/arg
"""


def make_small_copy(target: Path) -> Path:
    shutil.copytree(ROOT, target, ignore=IGNORE)
    (target / "book" / "smoke.md").write_text(SMOKE_PAGE, encoding="utf-8")
    (target / "_toc.yml").write_text(SMALL_TOC, encoding="utf-8")
    return target


def clone_built(source: Path, target: Path) -> Path:
    """Copy a small copy together with its _build (caches, last good site)."""
    shutil.copytree(source, target, symlinks=True)
    return target


def copy_env(root: Path, **extra: str) -> dict:
    return dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""), **extra)


def build(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tipkb.build.site", *args], cwd=root, env=env or copy_env(root),
                          capture_output=True, text=True)


def start(root: Path, *args: str, env: dict | None = None, code: str | None = None) -> subprocess.Popen:
    """A build running in the background, leading a process group of its own (so that a test can
    stop it, or kill everything it started, as a terminal or a crash would)."""
    cmd = [sys.executable, "-c", code] if code else [sys.executable, "-m", "tipkb.build.site", *args]
    return subprocess.Popen(cmd, cwd=root, env=env or copy_env(root), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


FAULT_HOOK = """
import os, signal, time

def _fault(app, *args):
    lang = os.environ.get("KB_FAULT_LANG")
    if lang and app.config.language != lang:
        return
    if os.environ.get("KB_FAULT") == "kill":  # the whole build dies at once, as in a power cut
        os.killpg(os.getpgid(0), signal.SIGKILL)
    if os.environ.get("KB_FAULT") == "sleep":
        time.sleep(120)

def setup(app):
    app.connect(os.environ.get("KB_FAULT_EVENT", "write-started"), _fault)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
"""


def add_fault_hook(root: Path) -> None:
    """A Sphinx extension in the copy that, when KB_FAULT is set, kills the build or stalls it at a
    chosen Sphinx event (KB_FAULT_EVENT, default write-started: after Sphinx saved what it read,
    before it writes pages)."""
    (root / "kb_fault_hook.py").write_text(FAULT_HOOK, encoding="utf-8")
    config = root / "_config.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("    - tipkb.sphinxext\n", "    - tipkb.sphinxext\n    - kb_fault_hook\n"),
                      encoding="utf-8")


def toc_pages(root: Path) -> list[str]:
    """Document names of a table of contents (its root, parts, chapters and sections)."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                names.append(entry["file"])
            walk(entry.get("chapters"))
            walk(entry.get("sections"))

    walk(toc.get("parts"))
    walk(toc.get("chapters"))
    return names


def incomplete(root: Path, langs=("en", "es")) -> list[str]:
    """What the copy's published site lacks: a whole page of its table of contents in a language,
    a root page, or a language's search index of every page."""
    import json

    site = root / "_build" / "site"
    gaps = [name for name in ("index.html", "404.html") if not (site / name).is_file()]
    indexed = {}
    for lang in langs:
        try:
            entry = (site / "pagefind" / lang / "pagefind-entry.json").read_text(encoding="utf-8")
            indexed[lang] = json.loads(entry)["languages"][lang]
        except (OSError, ValueError, KeyError):
            pass
    pages = toc_pages(root)
    for lang in langs:
        for doc in pages:
            page = site / lang / f"{doc}.html"
            if not page.is_file() or not page.read_text(encoding="utf-8", errors="replace").rstrip().endswith("</html>"):
                gaps.append(f"{lang}/{doc}.html")
        if indexed.get(lang, {}).get("page_count") != len(pages):
            gaps.append(f"search index {lang}: {indexed.get(lang, {}).get('page_count')} pages")
    return gaps


def tree_digest(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
