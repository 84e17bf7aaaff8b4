"""Per-language Jupyter Book configuration, derived from _config.yml.

`jupyter-book build --config FILE` replaces _config.yml rather than overlaying it
(jupyter-book #1791), so the build writes a complete file per language.
"""
from __future__ import annotations

import copy
from pathlib import Path

import yaml

from .. import paths


def deep_merge(base: dict, overlay: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in (overlay or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def load_yaml(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def lang_config(lang: str, cache_dir: Path, manifest: Path) -> dict:
    """The configuration for one language's build."""
    base = load_yaml(paths.ROOT / "_config.yml")
    cfg = deep_merge(base, load_yaml(paths.LOCALES / lang / "site.yml"))
    cfg["execute"]["execute_notebooks"] = "cache"
    cfg["execute"]["cache"] = str(cache_dir)
    sphinx_cfg = cfg["sphinx"]["config"]
    sphinx_cfg["language"] = lang
    sphinx_cfg["kb_exec_manifest"] = str(manifest)
    # Absolute paths: the generated file does not live next to the sources.
    sphinx_cfg["locale_dirs"] = [str(paths.ROOT / d) for d in sphinx_cfg["locale_dirs"]]
    return cfg


def write_lang_config(lang: str, out_dir: Path, cache_dir: Path, manifest: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "_config.yml"
    text = yaml.safe_dump(lang_config(lang, cache_dir, manifest), allow_unicode=True, sort_keys=False)
    target.write_text(text, encoding="utf-8")
    return target


COUNTRY_PAGE = "book/countries/"


def lang_toc(lang: str) -> dict:
    """_toc.yml with the member states listed in the order of their names in ``lang`` (Spanish
    readers find "Estados Unidos" under E, between Ecuador and Granada)."""
    import pandas as pd

    from ..charts.layout import collation_key

    toc = load_yaml(paths.ROOT / "_toc.yml")
    names = pd.read_csv(paths.DATA / "countries.csv", dtype=str, keep_default_na=False)
    key = {f"{COUNTRY_PAGE}{iso.lower()}": collation_key(name) for iso, name in zip(names["iso3"], names[f"name_{lang}"])}

    def visit(node):
        if isinstance(node, dict):
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            # The country pages of a list, in the language's order, in the places they occupy
            # (the part's index page stays first).
            slots = [i for i, e in enumerate(node) if isinstance(e, dict) and e.get("file") in key]
            for i, entry in zip(slots, sorted((node[i] for i in slots), key=lambda e: key[e["file"]])):
                node[i] = entry
            for item in node:
                visit(item)

    visit(toc)
    return toc


def write_lang_toc(lang: str, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "_toc.yml"
    target.write_text(yaml.safe_dump(lang_toc(lang), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target
