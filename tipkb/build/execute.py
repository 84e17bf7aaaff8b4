"""Execute the book's notebooks before Sphinx reads them: in parallel, one cache per language,
keyed on the data each page read.

Why not leave it to MyST-NB? Its cache keys a notebook on its code cells only, so a data edit
publishes stale charts (jupyter-book #1633, MyST-NB #621), and Jupyter Book runs notebooks one
after the other (jupyter-book #1735). Here:

- each language has its own jupyter-cache (``_build/exec/<lang>/cache``); Sphinx runs MyST-NB in
  ``cache`` mode on it, so it only ever reads outputs this module put there;
- a page is re-executed when its code cells, the notebook-facing code of ``tipkb``, or any
  slice of data it read last time (recorded by ``tipkb.data``) has changed, or an asset it wrote
  is gone; otherwise its cached outputs stand;
- stale pages run on every core, one long-lived kernel per worker and language (``%reset -f``
  between notebooks), which saves the 1-2 s of kernel start and imports per page.

``_build/exec/<lang>/manifest.json`` records, per page, what its outputs were computed from and an
``output_id`` that tipkb.sphinxext uses to make Sphinx re-read pages whose outputs changed.

The records of the pages about to run are dropped (and the manifest saved) before any new output
enters the cache, so an interrupted run never leaves a record that vouches for outputs it did not
describe: the pages it did not finish run again. A manifest, a
cache database or a cached notebook that cannot be read is discarded with one message, and the pages
it concerned run again.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .. import data, paths
from .. import lang as langs
from . import procs

EXEC_DIR = paths.BUILD / "exec"
# Code that notebooks import; changing it re-executes every page.
RUNTIME_EXCLUDE = ("build", "importers", "sphinxext.py", "outputsections.py", "sidebar.py", "pageassets.py",
                   "validate.py", "search.py")
SETUP = "get_ipython().run_line_magic('reset', '-f')\nget_ipython().run_line_magic('colors', 'nocolor')\nimport tipkb.data as __kb_data\n__kb_data.begin_recording()"
TEARDOWN = ("import json as __kb_json, tipkb.data as __kb_data, tipkb.page as __kb_page\n"
            "import matplotlib.pyplot as __kb_plt; __kb_plt.close('all')\n"
            "print(__kb_json.dumps({'reads': __kb_data.recorded_reads(), 'assets': __kb_page.take_assets()}))")


def cache_dir(lang: str) -> Path:
    return EXEC_DIR / lang / "cache"


def manifest_path(lang: str) -> Path:
    return EXEC_DIR / lang / "manifest.json"


def runtime_hash() -> str:
    digest = hashlib.sha256()
    pkg = paths.ROOT / "tipkb"
    for path in sorted(pkg.rglob("*.py")):
        rel = path.relative_to(pkg)
        if rel.parts[0] in RUNTIME_EXCLUDE:
            continue
        digest.update(str(rel).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def toc_docnames() -> list[str]:
    from sphinx_external_toc.parsing import parse_toc_yaml

    site_map = parse_toc_yaml(paths.ROOT / "_toc.yml")
    return sorted(site_map)


def notebook_pages() -> dict[str, Path]:
    """docname -> source path, for the TOC pages that are MyST notebooks."""
    from myst_nb.core.read import is_myst_markdown_notebook

    pages = {}
    for docname in toc_docnames():
        path = paths.ROOT / f"{docname}.md"
        if path.exists() and is_myst_markdown_notebook(path.read_text(encoding="utf-8")):
            pages[docname] = path
    return pages


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read a MyST notebook exactly as MyST-NB does, so jupyter-cache hashes match."""
    from myst_nb.core.read import read_myst_markdown_notebook
    from myst_parser.config.main import MdParserConfig

    return read_myst_markdown_notebook(path.read_text(encoding="utf-8"), MdParserConfig(),
                                       add_source_map=True, path=path)


def notebook_hash(cache, nb) -> str:
    return cache.create_hashed_notebook(nb)[1]


DISCARDED = "cache entry discarded"
ENTRY_KEYS = {"path": str, "nb_hash": str, "code_hash": str, "reads": list, "assets": list, "output_id": str}


def _valid_entry(entry) -> bool:
    return (isinstance(entry, dict) and all(isinstance(entry.get(k), t) for k, t in ENTRY_KEYS.items())
            and all(isinstance(r, dict) and {"table", "filters", "sha256"} <= set(r) for r in entry["reads"]))


def load_manifest(lang: str, log=print) -> dict:
    """The execution record of a language; an unreadable one is discarded (its pages run again)."""
    path = manifest_path(lang)
    if not path.exists():
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or not all(_valid_entry(e) for e in manifest.values()):
            raise ValueError("not a manifest of executed pages")
    except (ValueError, UnicodeDecodeError, OSError) as err:
        log(f"execution record [{lang}] unreadable ({path.relative_to(paths.ROOT)}: {_first_line(err)}): "
            f"discarded, every page of [{lang}] runs again")
        return {}
    return manifest


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[0][:160] if text else ''}"


def open_cache(lang: str, log=print):
    """A language's jupyter-cache; a database that cannot be read is discarded and started afresh."""
    from jupyter_cache import get_cache

    path = cache_dir(lang)
    try:
        cache = get_cache(str(path))
        cache.list_cache_records()  # reads the database
        return cache
    except Exception as err:  # sqlite, SQLAlchemy and file errors alike: the cache is only a cache
        log(f"execution cache [{lang}] unreadable ({_first_line(err)}): discarded, every page of [{lang}] runs again")
        shutil.rmtree(path, ignore_errors=True)
        return get_cache(str(path))


def save_manifest(lang: str, manifest: dict) -> None:
    path = manifest_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def stale_reason(entry: dict | None, nb_hash: str, code_hash: str, cache) -> str | None:
    """Why a page must run again, or None if its cached outputs are current."""
    if entry is None:
        return "never executed"
    if entry["nb_hash"] != nb_hash:
        return "code cells changed"
    if entry["code_hash"] != code_hash:
        return "tipkb code changed"
    changed = data.changed_read(entry["reads"])
    if changed:
        return f"data changed: {changed}"
    if any(not (paths.ROOT / a).exists() for a in entry["assets"]):
        return "an output file is missing"
    from jupyter_cache.cache.db import NbCacheRecord

    try:
        record = NbCacheRecord.record_from_hashkey(nb_hash, cache.db)
    except KeyError:
        return "not in the execution cache"
    stamp = _cached_stamp(cache, record.hashkey)
    if stamp is not None and entry.get("cached_file") == stamp:
        return None  # read back whole when it had this size and time: unchanged since
    try:
        cache.get_cache_bundle(record.pk)  # reads the cached notebook itself
    except Exception as err:
        return f"{DISCARDED} ({_first_line(err)})"  # _store replaces it
    entry["cached_file"] = stamp  # saved with the manifest
    return None


def _cached_stamp(cache, hashkey: str) -> list[int] | None:
    """Size and modification time of a page's cached notebook (jupyter-cache 1.0 keeps it in
    executed/<hash>/base.ipynb); None if it is not there. Reading and validating 128 cached
    notebooks took a second of every build; a stamp that has not changed needs neither."""
    try:
        info = cache._get_notebook_path_cache(hashkey).stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


@dataclass
class Task:
    lang: str
    docname: str
    path: str
    reason: str


@dataclass
class Result:
    lang: str
    docname: str
    notebook: dict | None = None
    reads: list = field(default_factory=list)
    assets: list = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None


def _code_cell(source: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(source, metadata={"tags": ["kb-injected"]})


def _run_worker(lang: str, tasks: list[Task], timeout: int) -> list[Result]:
    """One kernel for one language; notebooks run in it one after the other."""
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    env = dict(os.environ, **{langs.ENV_VAR: lang, "MPLBACKEND": "agg"})
    km = KernelManager(kernel_name="python3")
    # The kernel's own stderr only carries start-up chatter; cell errors come back as outputs.
    km.start_kernel(env=env, cwd=str(paths.ROOT), stderr=subprocess.DEVNULL)
    procs.set_worker_kernel(getattr(km.provisioner, "pid", None))  # a stop signal takes it down too
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    results = []
    try:
        for task in tasks:
            start = time.perf_counter()
            nb = read_notebook(paths.ROOT / task.path)
            nb.cells = [_code_cell(SETUP)] + nb.cells + [_code_cell(TEARDOWN)]
            client = NotebookClient(nb, km=km, kc=kc, timeout=timeout, allow_errors=False, record_timing=False,
                                    resources={"metadata": {"path": str((paths.ROOT / task.path).parent)}})
            try:
                client.execute()
            except CellExecutionError as err:
                results.append(Result(lang, task.docname, error=str(err)))
                continue
            record = json.loads("".join(o.get("text", "") for o in nb.cells[-1].outputs
                                        if o.get("output_type") == "stream"))
            nb.cells = nb.cells[1:-1]
            results.append(Result(lang, task.docname, notebook=nbformat.from_dict(nb), reads=record["reads"],
                                  assets=record["assets"], seconds=time.perf_counter() - start))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        procs.set_worker_kernel(None)
    return results


def _shards(tasks: list[Task], workers: int) -> list[tuple[str, list[Task]]]:
    """Split tasks over ``workers`` kernels, each kernel serving one language."""
    by_lang: dict[str, list[Task]] = {}
    for task in tasks:
        by_lang.setdefault(task.lang, []).append(task)
    share = {lang: 1 for lang in by_lang}
    for _ in range(max(0, workers - len(by_lang))):  # give spare workers to the busiest language
        lang = max(by_lang, key=lambda code: len(by_lang[code]) / share[code])
        share[lang] += 1
    shards = []
    for lang, items in by_lang.items():
        n = min(share[lang], len(items))
        shards += [(lang, items[i::n]) for i in range(n)]
    return shards


@dataclass
class Summary:
    executed: dict[str, list[str]]
    reused: dict[str, int]
    seconds: float


def execute(languages=langs.LANGS, workers: int | None = None, timeout: int = 300,
            log=print) -> Summary:
    """Bring every language's execution cache up to date; raise RuntimeError on a notebook error."""
    from jupyter_cache.base import CacheBundleIn

    start = time.perf_counter()
    pages = notebook_pages()
    code_hash = runtime_hash()
    caches = {lang: open_cache(lang, log) for lang in languages}
    manifests = {lang: load_manifest(lang, log) for lang in languages}
    tasks, reused = [], {lang: 0 for lang in languages}
    hashes: dict[tuple[str, str], str] = {}
    for docname, path in pages.items():
        nb = read_notebook(path)
        for lang in languages:
            nb_hash = notebook_hash(caches[lang], nb)
            hashes[(lang, docname)] = nb_hash
            reason = stale_reason(manifests[lang].get(docname), nb_hash, code_hash, caches[lang])
            if reason:
                tasks.append(Task(lang, docname, str(path.relative_to(paths.ROOT)), reason))
            else:
                reused[lang] += 1
    for lang in languages:  # forget pages that left the book
        for gone in set(manifests[lang]) - set(pages):
            del manifests[lang][gone]
    unreadable = [t for t in tasks if t.reason.startswith(DISCARDED)]
    if unreadable:
        log(f"execution cache: the cached outputs of {len(unreadable)} page(s) are unreadable, discarded, "
            f"run again: " + ", ".join(f"{t.lang}:{t.docname}" for t in unreadable[:6])
            + (" …" if len(unreadable) > 6 else ""))

    executed: dict[str, list[str]] = {lang: [] for lang in languages}
    errors: list[str] = []
    if tasks:
        workers = workers or os.cpu_count() or 1
        shards = _shards(tasks, workers)
        log(f"executing {len(tasks)} notebook(s) on {len(shards)} kernel(s): "
            + ", ".join(f"{t.lang}:{t.docname} ({t.reason})" for t in tasks[:6])
            + (" …" if len(tasks) > 6 else ""))
        for task in tasks:
            manifests[task.lang].pop(task.docname, None)
        for lang in languages:
            save_manifest(lang, manifests[lang])
        pool = ProcessPoolExecutor(max_workers=len(shards), initializer=procs.worker_signals)
        procs.track_pool(pool)
        try:
            futures = [pool.submit(_run_worker, lang, items, timeout) for lang, items in shards]
            for future in futures:
                for res in future.result():
                    if res.error:
                        errors.append(f"{res.docname}.md [{res.lang}]: notebook error\n{res.error}")
                        continue
                    _store(res, caches[res.lang], manifests[res.lang], pages[res.docname],
                           hashes[(res.lang, res.docname)], code_hash, CacheBundleIn)
                    executed[res.lang].append(res.docname)
        except BaseException:
            procs.stop_pool(pool)  # no worker or kernel outlives an error or a stop signal
            raise
        pool.shutdown()
        procs.forget_pool(pool)
    for lang in languages:
        save_manifest(lang, manifests[lang])
    if errors:
        raise RuntimeError("\n\n".join(errors))
    return Summary(executed, reused, time.perf_counter() - start)


def _store(res: Result, cache, manifest: dict, path: Path, nb_hash: str, code_hash: str, bundle_in) -> None:
    """Put a page's new outputs in the cache, then its record in the manifest (saved by the caller)."""
    bundle = bundle_in(res.notebook, str(path))
    try:
        cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)
    except FileExistsError as err:
        # The entry's folder outlived its notebook file (deleted, or an interrupted write), which
        # jupyter-cache does not clear before it recreates the folder.
        shutil.rmtree(err.filename)
        cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)
    outputs = json.dumps([c.get("outputs", []) for c in res.notebook.cells], sort_keys=True)
    manifest[res.docname] = {
        "path": str(path.relative_to(paths.ROOT)),
        "nb_hash": nb_hash,
        "code_hash": code_hash,
        "reads": res.reads,
        "assets": res.assets,
        "output_id": hashlib.sha256(outputs.encode()).hexdigest()[:16],
        "seconds": round(res.seconds, 2),
    }


def main(argv: list[str]) -> int:
    languages = tuple(argv) or langs.LANGS
    try:
        summary = execute(languages)
    except RuntimeError as err:
        print(err, file=sys.stderr)
        return 1
    for lang in languages:
        print(f"{lang}: executed {len(summary.executed[lang])}, reused {summary.reused[lang]}")
    print(f"{summary.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
