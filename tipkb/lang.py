"""The site's languages, and the one a page is being rendered in.

The languages are data (``locales/languages.yml``): every module loops over :data:`LANGS`, so a
language is added there (and in the translated columns of data/), not in code. The build sets
``TIPKB_LANG`` for each language's kernels and Sphinx process; a plain ``jupyter-book build .``
leaves it unset and gets the source language.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from . import paths

ENV_VAR = "TIPKB_LANG"
FILE_ENV = "TIPKB_LANGUAGES"  # tests point the build at another language list (pseudo-language proof)


@dataclass(frozen=True)
class Language:
    code: str
    locale: str
    native_name: str
    og_locale: str
    date: str
    month: str
    day_month: str = "d MMMM"
    group_separator: str = ","
    decimal_separator: str = "."
    group_min_digits: int = 4


def languages_file() -> Path:
    return Path(os.environ.get(FILE_ENV, paths.LOCALES / "languages.yml"))


@lru_cache(maxsize=4)
def _load(path: str) -> tuple[Language, ...]:
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    return tuple(Language(**entry) for entry in entries)


def languages() -> tuple[Language, ...]:
    return _load(str(languages_file()))


def codes() -> tuple[str, ...]:
    return tuple(language.code for language in languages())


def get(code: str) -> Language:
    for language in languages():
        if language.code == code:
            return language
    raise ValueError(f"unknown language {code!r}: expected one of {', '.join(codes())} ({languages_file()})")


# Read once at import: the build passes FILE_ENV to every process it starts.
LANGS = codes()
DEFAULT = LANGS[0]


def current() -> str:
    lang = os.environ.get(ENV_VAR, DEFAULT)
    if lang not in codes():
        raise ValueError(f"{ENV_VAR}={lang!r}: expected one of {', '.join(codes())}")
    return lang


def others(lang: str) -> list[str]:
    """The other languages, in menu order."""
    return [code for code in codes() if code != lang]


def translations() -> tuple[str, ...]:
    """Every language but the source language."""
    return codes()[1:]
