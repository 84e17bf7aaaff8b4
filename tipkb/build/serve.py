"""Live preview: serve one language and rebuild pages as their sources change (sphinx-autobuild).

Notebooks are executed first (same data-aware cache as the full build); while serving, a page
whose code cells change is re-executed by MyST-NB itself. After changing data/, restart.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from .. import lang as langs
from .. import paths
from . import config, execute, publish


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lang", choices=langs.LANGS, default=langs.DEFAULT)
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    try:
        with publish.exclusive_lock():  # the execution caches are shared with ./scripts/build
            execute.execute((args.lang,))
    except publish.BuildBusy as err:
        print(f"SERVE REFUSED: {err}", file=sys.stderr)
        return 75
    cfg = config.write_lang_config(args.lang, paths.BUILD / "config" / args.lang,
                                   execute.cache_dir(args.lang), execute.manifest_path(args.lang))
    bin_dir = Path(sys.executable).parent
    # Jupyter Book writes conf.py next to the given _config.yml; make its folder paths absolute,
    # since Sphinx reads them relative to the folder of conf.py.
    subprocess.run([str(bin_dir / "jupyter-book"), "config", "sphinx", str(paths.ROOT), "--config", str(cfg)],
                   check=True, cwd=paths.ROOT, stdout=subprocess.DEVNULL)
    with open(cfg.parent / "conf.py", "a", encoding="utf-8") as conf:
        conf.write(f"\ntemplates_path = [{str(paths.ROOT / '_templates')!r}]\n"
                   f"html_static_path = [{str(paths.ROOT / '_static')!r}]\n")
    out = paths.BUILD / "serve" / args.lang
    env = dict(os.environ, **{langs.ENV_VAR: args.lang})
    cmd = [str(bin_dir / "sphinx-autobuild"), str(paths.ROOT), str(out), "-c", str(cfg.parent), "--port", str(args.port),
           "--watch", str(paths.ROOT / "book"), "--watch", str(paths.LOCALES)]
    for ignored in ("_build", ".venv", "_work", ".git", "data", "tests", "*.pyc"):
        cmd += ["--ignore", ignored]
    print(f"Serving the {args.lang} book at http://127.0.0.1:{args.port}/ (Ctrl+C to stop)")
    return subprocess.call(cmd, cwd=paths.ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
