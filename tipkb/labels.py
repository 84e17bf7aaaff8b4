"""Words and numbers in the reader's language.

Every label comes from data/codebook.csv (domain + code -> English and Spanish); sentences that
pages generate are codebook entries of the ``ui`` domain with ``{placeholders}``. Numbers and
dates are formatted by Babel (CLDR) for the language.
"""
from __future__ import annotations

import datetime as dt
from babel.dates import format_date
from babel.numbers import format_decimal

from . import data
from . import lang as langs

LOCALES = {"en": "en_US", "es": "es"}
# Spanish-speaking countries differ on the thousands separator ("1.757" or "1,757"); a thin
# no-break space reads the same everywhere and cannot be mistaken for a decimal mark.
GROUP_SEPARATOR = {"es": "\u202f"}


def _lang(lang: str | None) -> str:
    return lang or langs.current()


_index: dict[str, dict[tuple[str, str], dict[str, str]]] = {}


def codebook() -> dict[tuple[str, str], dict[str, str]]:
    book, sha = data.shared("codebook")  # records the read for the page's data key
    if sha not in _index:
        _index[sha] = {(r.domain, r.code): {"en": r.label_en, "es": r.label_es}
                       for r in book.itertuples(index=False)}
    return _index[sha]


def label(domain: str, code: str, lang: str | None = None) -> str:
    try:
        return codebook()[(domain, code)][_lang(lang)]
    except KeyError:
        raise KeyError(f"no label for {domain}/{code} in data/codebook.csv") from None


def ui(key: str, lang: str | None = None, **values) -> str:
    """A sentence or phrase of the interface, with its placeholders filled in."""
    return label("ui", key, lang).format(**values)


def country(iso3: str, lang: str | None = None) -> str:
    lang = _lang(lang)
    for name in ("countries", "country_names"):
        rows, _ = data.shared(name, iso3=iso3)
        if len(rows):
            return rows.iloc[0][f"name_{lang}"]
    raise KeyError(f"no name for country code {iso3!r} in data/countries.csv or data/country_names.csv")


def number(value: int | float, lang: str | None = None) -> str:
    lang = _lang(lang)
    text = format_decimal(value, locale=LOCALES[lang], group_separator=lang not in GROUP_SEPARATOR)
    if lang in GROUP_SEPARATOR and abs(value) >= 10_000:
        text = format_decimal(value, locale="en_US").replace(",", GROUP_SEPARATOR[lang])
        if isinstance(value, float):
            whole, _, frac = text.partition(".")
            text = whole + ("," + frac if frac else "")
    return text


def date(value: str | dt.date, lang: str | None = None) -> str:
    """'2025-04-14' -> '14 April 2025' / '14 de abril de 2025'; a bare year stays a year."""
    if isinstance(value, str):
        if len(value) == 4:
            return value
        value = dt.date.fromisoformat(value)
    fmt = "d MMMM y" if _lang(lang) == "en" else "d 'de' MMMM 'de' y"
    return format_date(value, format=fmt, locale=LOCALES[_lang(lang)])


def year_span(years, lang: str | None = None) -> str:
    years = sorted(set(int(y) for y in years))
    if not years:
        return ""
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def month(value: str, lang: str | None = None) -> str:
    """'2012-07' -> 'July 2012' / 'julio de 2012'."""
    year, mon = (int(p) for p in value.split("-")[:2])
    fmt = "MMMM y" if _lang(lang) == "en" else "MMMM 'de' y"
    return format_date(dt.date(year, mon, 1), format=fmt, locale=LOCALES[_lang(lang)])
