"""One build at a time, a private directory per build, and publication in one atomic step.

- ``_build/build.lock`` is held (``fcntl.flock``) for the whole build; a second build fails at once
  with a one-line message. The lock file descriptor is inherited by the build's worker processes,
  so a build's orphaned children still hold it.
- A build assembles its site in ``_build/staging/<id>/`` (its own directory, never shared), checks
  that it is complete, then renames it to ``_build/sites/<id>/``: everything under ``sites/`` was
  checked.
- ``_build/site`` is a symbolic link to ``sites/<id>``. Publishing replaces the link with
  ``os.replace``, a single ``rename(2)``: readers see the old site or the new one, never a mix and
  never nothing.
- At start-up (under the lock) :func:`recover` finishes what an interrupted build left: a missing
  or dangling ``_build/site`` is pointed at the newest checked version, staging directories and
  versions no longer published are removed.
- ``_build/site.fingerprint`` records the inputs' fingerprint *and* the version it was built into;
  it is written only after the publication, and a site that is not that version is rebuilt.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from .. import paths

LOCK = paths.BUILD / "build.lock"
STAGING = paths.BUILD / "staging"
SITES = paths.BUILD / "sites"
FINGERPRINT = paths.BUILD / "site.fingerprint"
# What earlier versions of the build left behind: a shared assembly folder and a two-step swap.
LEGACY = (paths.BUILD / "site.next", paths.BUILD / "site.old")


class BuildBusy(RuntimeError):
    pass


class Incomplete(RuntimeError):
    pass


@contextmanager
def exclusive_lock():
    """Hold the build lock, or raise BuildBusy naming the build that holds it."""
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
            raise BuildBusy(f"another build is running ({holder}); wait for it to finish or stop it. "
                            f"Nothing was changed.") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}".encode(), 0)
        os.set_inheritable(fd, True)  # worker processes keep the lock while they live
        yield fd
    finally:
        os.close(fd)


def new_version_id() -> str:
    return f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.time_ns() % 1_000_000:06d}"


def staging_dir(version: str) -> Path:
    target = STAGING / version
    target.mkdir(parents=True)
    return target


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def _current_version() -> str | None:
    """The version ``_build/site`` points to, if it is a link to an existing version."""
    site = paths.SITE
    if not site.is_symlink():
        return None
    target = os.readlink(site)
    name = Path(target).name
    return name if (SITES / name).is_dir() and Path(target).parent.name == SITES.name else None


def _newest_version() -> str | None:
    versions = sorted((p for p in SITES.glob("*") if p.is_dir()), key=lambda p: p.stat().st_mtime_ns)
    return versions[-1].name if versions else None


def _point_site_at(version: str) -> None:
    """Replace _build/site by a link to sites/<version> in one rename."""
    link = paths.BUILD / f".site-{version}.link"
    _remove(link)
    os.symlink(f"{SITES.name}/{version}", link, target_is_directory=True)
    os.replace(link, paths.SITE)
    dir_fd = os.open(paths.BUILD, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # the rename reaches the disk before anything old is deleted
    finally:
        os.close(dir_fd)


def recover(log) -> None:
    """Finish or undo what an interrupted build left behind (call with the lock held)."""
    SITES.mkdir(parents=True, exist_ok=True)
    if paths.SITE.is_dir() and not paths.SITE.is_symlink():
        # A site published by an earlier version of the build: keep it, as a version.
        legacy = new_version_id() + "-earlier"
        paths.SITE.rename(SITES / legacy)
        _point_site_at(legacy)
        log(f"site: kept the published site as {SITES.name}/{legacy}")
    old = LEGACY[1]
    if not paths.SITE.exists() and old.is_dir():
        # The earlier two-rename swap was interrupted between its renames: the old site is here.
        name = new_version_id() + "-recovered"
        old.rename(SITES / name)
    if _current_version() is None:
        newest = _newest_version()
        if newest:
            _point_site_at(newest)
            log(f"site: an interrupted publication was completed: _build/site -> {SITES.name}/{newest}")
        elif paths.SITE.is_symlink():
            paths.SITE.unlink()  # dangling, and nothing checked to point it at
    current = _current_version()
    for path in [*STAGING.glob("*"), *paths.BUILD.glob(".site-*.link"), *LEGACY,
                 *(p for p in SITES.glob("*") if p.name != current)]:
        if path.exists() or path.is_symlink():
            _remove(path)


def publish(staged: Path, version: str, log) -> None:
    """Move a checked site into sites/ and make it the published one, atomically."""
    SITES.mkdir(parents=True, exist_ok=True)
    previous = _current_version()
    staged.rename(SITES / version)
    _point_site_at(version)
    if previous and previous != version:
        shutil.rmtree(SITES / previous, ignore_errors=True)
    log(f"site: {paths.SITE.relative_to(paths.ROOT)} -> {SITES.name}/{version}")


def is_up_to_date(fingerprint: str) -> bool:
    """The published site was built, completely, from these inputs."""
    if not FINGERPRINT.exists():
        return False
    try:
        record = json.loads(FINGERPRINT.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return False
    return (isinstance(record, dict) and record.get("fingerprint") == fingerprint
            and record.get("version") is not None and record.get("version") == _current_version())


def write_fingerprint(fingerprint: str, version: str) -> None:
    tmp = FINGERPRINT.with_suffix(".tmp")
    tmp.write_text(json.dumps({"fingerprint": fingerprint, "version": version}), encoding="utf-8")
    tmp.replace(FINGERPRINT)


# Completeness ------------------------------------------------------------------------------------

# Regular expressions rather than an HTML parser: this runs on every page of every build, and
# only needs to know that a page ends (an interrupted write cuts it short) and is marked searchable.
_CLOSED = re.compile(r"</html>\s*\Z", re.IGNORECASE)
_SEARCHABLE = re.compile(r"<[a-zA-Z][^<>]*\sdata-pagefind-body[\s=/>]")


def missing_parts(site: Path, languages, docnames, root_files=("index.html", "404.html", "sitemap.xml")) -> list[str]:
    """What a finished site lacks: a page of the table of contents in some language, a root page,
    a whole page (an HTML file cut short), or a language's search index."""
    missing = [f"{name} (root page)" for name in root_files if not (site / name).is_file()]
    for lang in languages:
        entry_path = paths.search_bundle(site, lang) / "pagefind-entry.json"
        try:
            entry = json.loads(entry_path.read_text(encoding="utf-8"))["languages"]
        except (OSError, ValueError, KeyError, TypeError):
            entry = None
            missing.append(f"{entry_path.relative_to(site).as_posix()} (the search index)")
        searchable = 0
        for doc in docnames:
            page = site / lang / f"{doc}.html"
            if not page.is_file():
                missing.append(f"{lang}/{doc}.html")
                continue
            text = page.read_text(encoding="utf-8", errors="replace")
            if not _CLOSED.search(text):
                missing.append(f"{lang}/{doc}.html (cut short: no </html>)")
            searchable += bool(_SEARCHABLE.search(text))
        if entry is not None:
            indexed = (entry.get(lang) or {}).get("page_count", 0)
            if indexed < searchable or searchable == 0:
                missing.append(f"search index for {lang!r}: {indexed} page(s) indexed, {searchable} searchable")
    return missing


def check_complete(site: Path, languages, docnames) -> None:
    missing = missing_parts(site, languages, docnames)
    if missing:
        shown = ", ".join(missing[:8]) + (f" and {len(missing) - 8} more" if len(missing) > 8 else "")
        raise Incomplete(f"the assembled site is incomplete: {shown}")
