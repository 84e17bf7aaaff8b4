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


def build(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "tipkb.build.site", *args], cwd=root, env=env,
                          capture_output=True, text=True)


def tree_digest(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
