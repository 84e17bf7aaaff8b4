"""The language a page is being rendered in.

The build sets ``TIPKB_LANG`` for each language's kernels and Sphinx process; a plain
``jupyter-book build .`` leaves it unset and gets English.
"""
import os

LANGS = ("en", "es")
DEFAULT = "en"
ENV_VAR = "TIPKB_LANG"


def current() -> str:
    lang = os.environ.get(ENV_VAR, DEFAULT)
    if lang not in LANGS:
        raise ValueError(f"{ENV_VAR}={lang!r}: expected one of {', '.join(LANGS)}")
    return lang


def other(lang: str) -> str:
    return next(l for l in LANGS if l != lang)
