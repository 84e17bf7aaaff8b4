"""Country names from libraries, never typed by hand.

English: the ISO 3166 short name from pycountry (its common name where ISO gives one); where
the ISO name is inverted with a comma ("Venezuela, Bolivarian Republic of") the CLDR English
name from Babel. Spanish: the CLDR Spanish name from Babel.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import pycountry
from babel import Locale

# Codes UNODC uses that ISO 3166 does not assign, with their CLDR territory code.
NON_ISO = {"XKX": "XK"}


def _alpha2(iso3: str) -> str:
    return NON_ISO.get(iso3) or _country(iso3).alpha_2


def _country(iso3: str):
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        raise KeyError(f"{iso3!r} is not an ISO 3166-1 alpha-3 code")
    return country


def name_en(iso3: str) -> str:
    if iso3 in NON_ISO:
        return Locale("en").territories[NON_ISO[iso3]]
    country = _country(iso3)
    common = getattr(country, "common_name", None)
    if common:
        return common
    if "," not in country.name:
        return country.name
    return Locale("en").territories[country.alpha_2]


def name_es(iso3: str) -> str:
    return Locale("es").territories[_alpha2(iso3)]


def region_name(m49: str, lang: str) -> str:
    """CLDR name of a UN M49 region code ('013' = Central America)."""
    return Locale(lang).territories[m49]


def fold(text: str) -> str:
    """Case- and accent-insensitive form used to match free-text country names."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.replace(".", " ").split())


@lru_cache(maxsize=1)
def name_index() -> dict[str, str]:
    """Folded country name (ISO, CLDR English and Spanish, UN-style) -> alpha-3."""
    index: dict[str, str] = {}
    en, es = Locale("en").territories, Locale("es").territories
    for country in pycountry.countries:
        names = {country.name, getattr(country, "common_name", None), getattr(country, "official_name", None),
                 en.get(country.alpha_2), es.get(country.alpha_2)}
        if "," in country.name:  # ISO "Bolivia, Plurinational State of" -> UN "Bolivia (Plurinational State of)"
            head, tail = (part.strip() for part in country.name.split(",", 1))
            names.add(f"{head} ({tail})")
        for name in filter(None, names):
            index.setdefault(fold(name), country.alpha_3)
    return index


def lookup(text: str) -> str | None:
    return name_index().get(fold(text))
