"""Words and numbers in the reader's language.

Every label comes from data/codebook.csv (domain + code -> one column per language,
``label_<code>``); sentences that pages generate are codebook entries of the ``ui`` domain with
``{placeholders}``. Numbers and dates are formatted with Babel (CLDR) and the patterns of the
language list (tipkb.lang). Each label a page uses is recorded, in the page's language only, so a
translator's edit re-executes only the pages that show that label in that language.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from babel.plural import PluralRule

from . import data
from . import lang as langs

CODEBOOK_KEY = ("domain", "code")


def _lang(lang: str | None) -> str:
    return lang or langs.current()


@lru_cache(maxsize=16)
def _index(column: str, mtime_ns: int) -> dict[tuple[str, str], str]:
    book = data.whole("codebook")
    return dict(zip(zip(book["domain"], book["code"]), book[column]))


def _codebook(lang: str) -> dict[tuple[str, str], str]:
    column = f"label_{lang}"
    return _index(column, (data.data_dir() / "codebook.csv").stat().st_mtime_ns)


def label(domain: str, code: str, lang: str | None = None) -> str:
    lang = _lang(lang)
    try:
        text = _codebook(lang)[(domain, code)]
    except KeyError:
        raise KeyError(f"no label for {domain}/{code} in data/codebook.csv") from None
    data.note_entry("codebook", CODEBOOK_KEY, (domain, code), (f"label_{lang}",))
    return text


def has_label(domain: str, code: str, lang: str | None = None) -> bool:
    return (domain, code) in _codebook(_lang(lang))


def ui(key: str, lang: str | None = None, **values) -> str:
    """A sentence or phrase of the interface, with its placeholders filled in."""
    return label("ui", key, lang).format(**values)


def plural_category(n: int, lang: str | None = None) -> str:
    """CLDR plural category of ``n`` in the language ("one", "other", ...)."""
    return _plural(langs.get(_lang(lang)).locale)(n)


@lru_cache(maxsize=8)
def _plural(locale: str) -> PluralRule:
    return Locale.parse(locale).plural_form


def ui_n(key: str, n: int, lang: str | None = None, **values) -> str:
    """A sentence that depends on a count: codebook entries ``<key>.zero`` (optional, for a
    sentence that reads differently at 0), ``<key>.one``, ``<key>.other`` (CLDR categories).
    ``{n}`` is the count as running prose writes it (words under ten)."""
    lang = _lang(lang)
    if n == 0 and has_label("ui", f"{key}.zero", lang):
        return ui(f"{key}.zero", lang, **values)
    category = plural_category(n, lang)
    chosen = f"{key}.{category}" if has_label("ui", f"{key}.{category}", lang) else f"{key}.other"
    return ui(chosen, lang, n=words_or_number(n, lang), **values)


def country(iso3: str, lang: str | None = None) -> str:
    lang = _lang(lang)
    for name in ("countries", "country_names"):
        rows, _ = data.shared(name, columns=["iso3", f"name_{lang}"], iso3=iso3)
        if len(rows):
            return rows.iloc[0][f"name_{lang}"]
    raise KeyError(f"no name for country code {iso3!r} in data/countries.csv or data/country_names.csv")


def number(value: int | float, lang: str | None = None) -> str:
    """1234 -> '1,234' / '1234'; 12345 -> '12,345' / '12 345' (thin no-break space)."""
    language = langs.get(_lang(lang))
    text = format_decimal(value, locale="en_US", group_separator=True)  # 12,345.6: then swap marks
    whole, _, frac = text.partition(".")
    digits = len(whole.lstrip("-").replace(",", ""))
    group = language.group_separator if digits >= language.group_min_digits else ""
    whole = whole.replace(",", group)
    return whole + (language.decimal_separator + frac if frac else "")


def words_or_number(n: int, lang: str | None = None) -> str:
    """Whole numbers under ten in words in running prose (style guides of both languages)."""
    if 0 <= n < 10 and has_label("number_word", str(n), lang):
        return label("number_word", str(n), lang)
    return number(n, lang)


def date(value: str | dt.date, lang: str | None = None) -> str:
    """'2025-04-14' -> '14 April 2025' / '14 de abril de 2025'; '2025-04' -> 'April 2025';
    a bare year stays a year."""
    language = langs.get(_lang(lang))
    if isinstance(value, str):
        if len(value) == 4:
            return value
        if len(value) == 7:
            return month(value, lang)
        value = dt.date.fromisoformat(value)
    return format_date(value, format=language.date, locale=language.locale)


def date_span(start: str, end: str, lang: str | None = None) -> str:
    """'25 July – 2 August 2011' / 'del 25 de julio al 2 de agosto de 2011' (the year once when
    both days are in it)."""
    if start == end:
        return date(start, lang)
    language = langs.get(_lang(lang))
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    head = (format_date(first, format=language.day_month, locale=language.locale) if first.year == last.year
            else date(start, lang))
    return ui("date_span", lang, start=head, end=date(end, lang))


def year_span(years, lang: str | None = None) -> str:
    years = sorted(set(int(y) for y in years))
    if not years:
        return ""
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def month(value: str, lang: str | None = None) -> str:
    """'2012-07' -> 'July 2012' / 'julio de 2012'."""
    language = langs.get(_lang(lang))
    year, mon = (int(p) for p in value.split("-")[:2])
    return format_date(dt.date(year, mon, 1), format=language.month, locale=language.locale)


def join(items: list[str], lang: str | None = None) -> str:
    """'a, b and c' / 'a, b y c' (CLDR list pattern)."""
    from babel.lists import format_list

    return format_list(list(items), locale=langs.get(_lang(lang)).locale) if items else ""
