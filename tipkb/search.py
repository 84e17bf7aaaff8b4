"""The search index: what Pagefind indexes, built from the finished site.

``python -m tipkb.search <site>`` (run by tipkb.build.site, with ``--pages`` pointing at Sphinx's
output) reads every page of the book in every language and gives Pagefind, through its Python API, a copy of each page prepared for search; the
published pages are not changed. The copy differs from the page in four ways:

- **Entries as results.** A measure page and a practice catalogue hold one section per member
  state (``measure-hotline-arg``, ``practices-laws-arg``), the glossary one per term
  (``glossary-02``). Each such section is a record of its own, with the page's address and the
  section's anchor and the title "<page>: <state or term>"; a state's section has the page's
  filters and the state's (so the country filter narrows results to that state's sections) and
  the book's themes of its measure or practices. The rest of the page is one record. Among short
  records a long page would rank low for its own subject: entries are the pages' parts that
  readers look up one at a time.
- **Synonyms** (data/search_synonyms.csv): where a section's text (its paragraphs, list items,
  cells and headings, not what Pagefind ignores) says a term of a group in the page's language,
  the group's other terms, in every language (readers type "fiscalía" on English pages too),
  follow the section's own text in a paragraph that counts half: "labor trafficking" finds
  "labour trafficking" and lands on the section, while the page's own words still win the ranking
  and the excerpt. The other names of what the section's heading says count as the heading. A
  member state's other names follow the heading of a page or section about it: its names in every
  language (data/countries.csv), Babel's CLDR names ("St. Kitts & Nevis") and its rows of the
  synonyms table ("St Kitts", "EE. UU.").
- **Headings as anchors.** Pagefind splits a result into sub-results at headings that have an
  ``id``; Sphinx puts ids on sections, a section's stable label first where it has one
  (tipkb.outputsections: ``arg-victims``, ``measure-hotline-arg``, the same in every language).
  A heading below the title without an id gets its section's first, so sub-results land there.
- **An image is its alt text**: a chart's alt text says the state's figures in words ("In the
  2024 report, Guatemala's placement was: Tier 2"), while its caption, the same on every country
  page, is not indexed. Pagefind's automatic ``image`` metadata (a file name, and the alt text
  again, both searched since Pagefind 1.5) is left out.

What the markup marks ``data-pagefind-ignore`` or ``data-pagefind-weight`` is left for Pagefind
to apply. :func:`page_config` is the search page's side: its interface words, ranking and stop
words.
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import html
import json
import os
import re
import shutil
import signal
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag

from . import data, labels, paths
from . import lang as langs

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
BLOCKS = ("p", "li", "td", "th", "dt", "dd", "caption", "figcaption") + HEADINGS
HEADING_WEIGHT = {f"h{n}": 8 - n for n in range(1, 7)}  # Pagefind's own weights for headings
IGNORED = "data-pagefind-ignore"
CONTEXT_WEIGHT = 0  # the state's name in a record about one of its measures or practices
SYNONYM_WEIGHT = "0.5"  # words added from the synonyms table


# Synonyms ----------------------------------------------------------------------------------------

def fold(text: str) -> str:
    """Lower case without accents, as readers type and as Pagefind matches."""
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if unicodedata.category(c) != "Mn")


@cache
def _synonym_rows() -> list[dict]:
    if not any(r["name"] == "search_synonyms" for r in data.package()["resources"]):
        return []
    return data.table("search_synonyms").fillna("").to_dict("records")


@cache
def synonym_groups(lang: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """(the group's terms in the language, all its terms in every language) for each group with a
    term in the language (names of states apart): a page is searched in its language, but readers
    also type the other language's words ("fiscalía" on an English page)."""
    groups: dict[str, list[dict]] = {}
    for row in _synonym_rows():
        if not row["iso3"]:
            groups.setdefault(row["group"], []).append(row)
    return tuple((tuple(r["term"] for r in rows if r["lang"] == lang), tuple(r["term"] for r in rows))
                 for rows in groups.values() if len(rows) > 1 and any(r["lang"] == lang for r in rows))


@cache
def state_names(iso3: str) -> tuple[str, ...]:
    """Every name of a member state: in each language of the site, Babel's (CLDR) names in each
    language, and its rows in the synonyms table."""
    from babel import Locale

    row = data.table("countries", iso3=iso3).iloc[0]
    names = [row[f"name_{code}"] for code in langs.LANGS]
    for code in langs.LANGS:
        names.append(Locale.parse(langs.get(code).locale).territories.get(row["iso2"], ""))
    names += [r["term"] for r in _synonym_rows() if r["iso3"] == iso3]
    return tuple(dict.fromkeys(n for n in names if n))


def words(text: str) -> list[str]:
    """A text's words as search sees them: folded, punctuation dropped ("EE. UU." -> ee, uu)."""
    return re.sub(r"[^\w]+", " ", fold(text)).split()


def plural_forms(word: str) -> set[str]:
    """The regular plurals of a folded word, English and Spanish alike (+s; +es after a
    consonant; y -> ies; z -> ces): "shelters", "albergues", "lineas", "planes". Only plurals:
    a stemmer would also join "refugiados" to "refugio" and "alberga" to "albergue" ("refuge" +
    "es" would be "refugees"), and give pages about refugees the shelter group's words. Words
    under three letters ("de", "a") have none here."""
    if len(word) < 3:
        return set()
    forms = {word + "s"} | ({word + "es"} if word[-1] not in "aeiou" else set())
    if word.endswith("y"):
        forms.add(word[:-1] + "ies")
    if word.endswith("z"):
        forms.add(word[:-1] + "ces")
    return forms


class Synonyms:
    """Finds the terms of a language's groups in a text (every term, also one inside another:
    "labour trafficking" is a term, and so is "labour"; a term in the plural counts as the term)
    and says what to add."""

    def __init__(self, lang: str):
        self.groups = synonym_groups(lang)
        own_words = {w for own, _ in self.groups for term in own for w in words(term)}
        # A plural of a term's word reads as the word ("albergues" as "albergue", also where the
        # table lists both); the singular itself is kept.
        self.singular = {plural: w for w in own_words for plural in plural_forms(w) if plural != w}
        self.singular = {plural: w for plural, w in self.singular.items() if w not in self.singular}
        self.group_of = {self._key(term): i for i, (own, _) in enumerate(self.groups) for term in own}
        self.longest = max((key.count(" ") + 1 for key in self.group_of), default=0)

    def _key(self, text: str) -> str:
        return " ".join(self.singular.get(w, w) for w in words(text))

    def found(self, text: str) -> dict[int, list[str]]:
        """group -> its terms that the text does not say, for every group the text mentions."""
        tokens = self._key(text).split()
        said = {" ".join(tokens[i:i + n]) for i in range(len(tokens)) for n in range(1, self.longest + 1)
                if i + n <= len(tokens)} & self.group_of.keys()
        groups = sorted({self.group_of[key] for key in said})
        found = {}
        for i in groups:
            terms = {self._key(t): t for t in reversed(self.groups[i][1])}  # one of each (first kept)
            found[i] = [t for key, t in reversed(terms.items()) if key not in said]
        return found

    def additions(self, text: str) -> list[str]:
        return [term for terms in self.found(text).values() for term in terms]


def _indexed_text(block: Tag) -> str:
    """A block's text without what Pagefind ignores in it."""
    kept = []
    for text in block.find_all(string=True):
        node = text.parent
        while node is not block and not node.has_attr(IGNORED):
            node = node.parent
        if node is block:
            kept.append(text)
    return " ".join(kept)


def _innermost_blocks(root: Tag) -> list[Tag]:
    """The blocks of text (paragraphs, items, cells, headings) with no block inside them, outside
    what Pagefind ignores, in document order."""
    blocks = root.find_all(BLOCKS)
    outer, ignored = set(), set()
    for block in blocks:
        for parent in block.parents:
            if parent is root.parent:
                break
            if parent.name in BLOCKS:
                outer.add(id(parent))
            if parent.has_attr(IGNORED):
                ignored.add(id(block))
        if block.has_attr(IGNORED):
            ignored.add(id(block))
    return [b for b in blocks if id(b) not in outer and id(b) not in ignored]


def add_synonyms(root: Tag, synonyms: Synonyms, soup: BeautifulSoup) -> int:
    """For each section, the other terms of every group its own text mentions, in a paragraph at
    the end of the section's own text (before its subsections: a sub-result is the text between
    two headings, so a match there lands on the section). Said in the text, they count for little
    and stand apart from it: the words the page itself uses win the ranking and the excerpt
    wherever they match. Said in the section's heading, they count as the heading does: a
    section headed "The UN Trafficking in Persons Protocol" is about the Palermo Protocol as much
    as one headed so. Returns the number of paragraphs added."""
    added: dict[tuple[int, str], tuple[Tag, list[str]]] = {}
    for block in _innermost_blocks(root):
        section = block.find_parent("section") or root
        weight = _heading_weight(block) if block.name in HEADINGS else SYNONYM_WEIGHT
        if weight == "0":
            continue
        _, extra = added.setdefault((id(section), weight), (section, []))
        for terms in synonyms.found(_indexed_text(block)).values():
            extra += [t for t in terms if t not in extra]
    for (key, weight), (section, extra) in added.items():
        if weight == SYNONYM_WEIGHT:  # what the heading says, or gives, counts as the heading already
            headed = {t for (other, w), (_, terms) in added.items() if other == key and w != weight for t in terms}
            heading = section.find(HEADINGS)
            said = f" {' '.join(words(_indexed_text(heading)))} " if heading is not None else ""
            extra[:] = [t for t in extra if t not in headed and f" {' '.join(words(t))} " not in said]
        if extra:
            note = soup.new_tag("p", attrs={"data-pagefind-weight": weight})
            note.string = "(" + "; ".join(extra) + ")"
            _end_of_own_text(section, note)
    return sum(1 for _, extra in added.values() if extra)


def _heading_weight(heading: Tag) -> str:
    """A heading's weight for Pagefind: its own ``data-pagefind-weight``, or Pagefind's default."""
    return heading.get("data-pagefind-weight") or f"{HEADING_WEIGHT[heading.name]:g}"


def _end_of_own_text(section: Tag, element: Tag) -> None:
    """Put an element after a section's own text, before its first subsection."""
    first = section.find("section", recursive=False)
    if first is not None:
        first.insert_before(element)
    else:
        section.append(element)


def add_state_names(heading: Tag, iso3: str, soup: BeautifulSoup, weight: float | None = None) -> None:
    """The state's other names in the text of the section whose heading names it, weighted as the
    heading (or ``weight``)."""
    shown = fold(heading.get_text(" "))
    others = [n for n in state_names(iso3) if fold(n) not in shown]
    if others:
        weight = HEADING_WEIGHT.get(heading.name, 7) if weight is None else weight
        note = soup.new_tag("p", attrs={"data-pagefind-weight": f"{weight:g}"})
        note.string = "; ".join(others)
        section = heading.parent if heading.parent is not None and heading.parent.name == "section" else None
        if section is None:
            heading.insert_after(note)
        else:
            _end_of_own_text(section, note)


# Records -----------------------------------------------------------------------------------------

@dataclass
class Record:
    url: str
    html: str


def _page_meta(soup: BeautifulSoup) -> dict[str, str]:
    """The page's front matter as tipkb.sphinxext writes it (<meta name="kb:kind" ...>)."""
    return {m["name"][3:]: m.get("content", "") for m in soup.find_all("meta", attrs={"name": re.compile("^kb:")})}


def entry_sections(meta: dict[str, str]) -> dict[str, str]:
    """label -> member state ("" for none), for the sections of a page that are entries of their
    own: a state's line on a measure page or in a practice catalogue, a term of the glossary."""
    from . import measures, practices, themes

    codes = list(data.table("countries", columns=["iso3"])["iso3"])
    found = {themes.glossary_label(term): "" for term in data.table("glossary", columns=["term_id", "part"])["term_id"]}
    if meta.get("kind") == "measure" and meta.get("measure"):
        found.update({measures.page_label(meta["measure"], iso3): iso3 for iso3 in codes})
    elif meta.get("area") in practices.AREAS:
        found.update({practices.catalogue_label(meta["area"], iso3): iso3 for iso3 in codes})
    return found


def record_themes(meta: dict[str, str], iso3: str) -> list[str]:
    """The book's themes a state's section of a measure page or a catalogue belongs to: those
    whose chapter shows the measure, or those of the practices listed (so that the theme filter
    finds them, not only the theme chapters)."""
    from . import themes

    if meta.get("kind") == "measure":
        return [theme for theme, codes in themes.THEME_MEASURES.items() if meta.get("measure") in codes]
    rows = data.table("practices", columns=["iso3", "area", "status", "themes"], iso3=iso3)
    rows = rows[(rows["area"] == meta.get("area")) & (rows["status"] == "published")]
    return sorted({t for cell in rows["themes"] for t in cell.split(";") if t})


def _anchor_headings(root: Tag) -> None:
    """A heading below the title without an id takes its section's (a sub-result links to it;
    the title's matches are the page's own)."""
    for heading in root.find_all(HEADINGS[1:]):
        section = heading.parent
        if not heading.get("id") and section is not None and section.name == "section" and section.get("id"):
            heading["id"] = section["id"]


def _drop_empty_sections(root: Tag) -> None:
    for section in reversed(root.find_all("section")):
        rest = [c for c in section.children if not (isinstance(c, NavigableString) and not c.strip())]
        if all(isinstance(c, Tag) and c.name in HEADINGS for c in rest):
            section.decompose()


def _says(title: str, value: str) -> bool:
    """Does the title say the value already (each of its words, or a longer form: "Hotline" in
    "Hotlines: Canada")?"""
    said = words(title)
    return all(any(w.startswith(v) for w in said) for v in words(value))


def _meta_spans(soup: BeautifulSoup, meta: dict[str, str], lang: str, title: str) -> list[Tag]:
    """What a result shows under its title: the state and the area, measure or theme (named in
    the page's language), unless the title says it already."""
    from .sphinxext import search_filters

    shown = []
    for key in ("country", "area", "measure", "theme"):
        if not meta.get(key):
            continue
        name, values = next(iter(search_filters({key: meta[key]}, lang).items()))
        value = ", ".join(values)
        if _says(title, value):
            continue
        span = soup.new_tag("span", attrs={"data-pagefind-meta": f"{name}:{value}", "hidden": ""})
        shown.append(span)
    return shown


def _filter_spans(soup: BeautifulSoup, meta: dict[str, str], lang: str) -> Tag:
    from .sphinxext import search_filters

    box = soup.new_tag("div", attrs={"hidden": ""})
    for name, values in search_filters(meta, lang).items():
        for value in values:
            box.append(soup.new_tag("span", attrs={"data-pagefind-filter": f"{name}:{value}"}))
    return box


def _document(lang: str, body: str) -> str:
    return f'<!DOCTYPE html><html lang="{html.escape(lang)}"><head><meta charset="utf-8"></head><body>{body}</body></html>'


def page_url(lang: str, root: Path, path: Path) -> str:
    """The address Pagefind gives a page of ``lang`` whose files are in ``root``: from the site's
    root, without a final index.html."""
    url = f"/{lang}/" + path.relative_to(root).as_posix()
    return url[: -len("index.html")] if url.endswith("/index.html") else url


def language_roots(site: Path) -> dict[str, Path]:
    """Where each language's pages are in a finished site."""
    return {code: site / code for code in langs.LANGS}


def records(text: str, url: str) -> list[Record]:
    """The records of one built page (none if the page is not marked searchable)."""
    soup = BeautifulSoup(text, "html.parser")
    body = soup.find(attrs={"data-pagefind-body": True})
    if body is None:
        return []
    lang = soup.html.get("lang", langs.DEFAULT) if soup.html else langs.DEFAULT
    meta = _page_meta(soup)
    for element in body.find_all("svg") + body.select("a.headerlink"):  # a heading's "#" is not its text
        element.decompose()
    for image in body.find_all("img"):  # a chart's alt text says its figures in words; its file name does not
        image.replace_with(NavigableString(" " + image.get("alt", "") + " "))
    _anchor_headings(body)
    synonyms = Synonyms(lang)
    h1 = body.find("h1")
    title = h1.get_text(" ", strip=True) if h1 else ""

    out = []
    entries = entry_sections(meta)
    for heading in body.find_all(HEADINGS, id=lambda i: i in entries):
        out.append(_entry_record(soup, heading, entries[heading["id"]], meta, lang, title, url, synonyms))
    _drop_empty_sections(body)
    if meta.get("kind") == "country" and meta.get("country") and h1 is not None:
        add_state_names(h1, meta["country"], soup)
    add_synonyms(body, synonyms, soup)
    page_meta = {k: v for k, v in meta.items() if k == "country" or not out}
    for span in _meta_spans(soup, page_meta, lang, title):
        body.append(span)
    return [Record(url, _document(lang, str(body)))] + out


def _entry_record(part: BeautifulSoup, heading: Tag, iso3: str, meta: dict[str, str], lang: str, title: str,
                  url: str, synonyms: Synonyms) -> Record:
    """A section that is an entry of its own (see :func:`entry_sections`), taken out of its page."""
    section = heading.parent if heading.parent.name == "section" else heading
    section.extract()
    name = labels.country(iso3, lang) if iso3 else heading.get_text(" ", strip=True)
    own = labels.ui("search_record_title", lang, page=title, section=name)
    root = part.new_tag("div", attrs={"data-pagefind-body": ""})
    root.append(part.new_tag("span", attrs={"data-pagefind-meta": f"title:{own}", "hidden": ""}))
    root.append(section)
    if iso3:
        entry_meta = {**meta, "country": iso3, "theme": ",".join(record_themes(meta, iso3))}
        root.append(_filter_spans(part, entry_meta, lang))
        for span in _meta_spans(part, {"country": iso3, "area": meta.get("area", ""),
                                       "measure": meta.get("measure", "")}, lang, own):
            root.append(span)
        # The state is the section's context, its measure or area its subject: a search for the
        # state alone should find the state's page first.
        heading["data-pagefind-weight"] = f"{CONTEXT_WEIGHT:g}"
    else:
        root.append(_filter_spans(part, meta, lang))
    add_synonyms(root, synonyms, part)
    if iso3:
        add_state_names(heading, iso3, part, CONTEXT_WEIGHT)
    return Record(f"{url}#{heading['id']}", _document(lang, str(root)))


def _code_hash() -> str:
    """What a page's records depend on besides its HTML and the rows they read (recorded, see
    :func:`_current_store`): tipkb's code, the data package's description of the tables, the
    language list and the pinned libraries (Babel's names of states)."""
    digest = hashlib.sha256()
    files = sorted(Path(__file__).resolve().parent.rglob("*.py")) + [
        data.data_dir() / "datapackage.json", langs.languages_file(), paths.ROOT / "requirements.txt"]
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


RECORDS_CACHE = paths.BUILD / "cache" / "search-records"
READS = "reads.json"  # in a store: the rows of data/ its records were prepared from (tipkb.data)


def _current_store(cache_dir: Path) -> tuple[Path, list[dict]]:
    """The cache of records prepared by this code, and the reads of data they were prepared
    from. A store whose reads would return other rows now is emptied: a state's new name or a
    new synonym changes records; a new figure in another table, or a caption no record shows,
    does not."""
    store = cache_dir / _code_hash()
    store.mkdir(parents=True, exist_ok=True)
    for old in cache_dir.iterdir():  # only the current code's store is kept
        if old != store:
            shutil.rmtree(old, ignore_errors=True)
    try:
        reads = json.loads((store / READS).read_text(encoding="utf-8"))
        if not (isinstance(reads, list) and all(isinstance(r, dict) and {"table", "filters", "sha256"} <= set(r)
                                                for r in reads)):
            raise ValueError("not a list of reads")
    except (OSError, ValueError):
        reads = None
    if reads is None or data.changed_read(reads):
        for entry in store.iterdir():
            entry.unlink()
        reads = []
    # Written back, with this run's reads, only when every page is done: a run stopped half-way
    # leaves entries whose reads are known nowhere, and the next run starts afresh.
    (store / READS).unlink(missing_ok=True)
    return store, reads


def _save_reads(store: Path, earlier: list[dict]) -> None:
    merged = {(r["table"], r["filters"]): r for r in earlier}
    merged.update({(r["table"], r["filters"]): r for r in data.recorded_reads()})
    _write_whole(store / READS, json.dumps(sorted(merged.values(), key=lambda r: (r["table"], r["filters"]))))


def _write_whole(target: Path, text: str) -> None:
    """Write a file of the store whole or not at all (a build stopped mid-write leaves no part)."""
    partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(target)


def site_records(roots: dict[str, Path], cache_dir: Path | None = RECORDS_CACHE) -> list[Record]:
    """Every page's records, from each language's pages (``roots``: language -> the folder of its
    pages, see :func:`language_roots`). Preparing a page takes about 10 ms; a page whose HTML is
    unchanged since the last build, prepared by the same code from rows of data/ that have not
    changed, is read back from ``cache_dir`` (a text edit changes a few pages, not 140)."""
    store, earlier = _current_store(cache_dir) if cache_dir is not None else (None, [])
    for remembered in (_synonym_rows, synonym_groups, state_names):  # read again, so that the reads are recorded
        remembered.cache_clear()
    data.begin_recording()
    found, used = [], {READS}
    for code, root in roots.items():
        for path in sorted((root / "book").rglob("*.html")):
            text, url = path.read_text(encoding="utf-8"), page_url(code, root, path)
            if store is None:
                found += records(text, url)
                continue
            entry = store / (hashlib.sha256(f"{url}\0{text}".encode()).hexdigest()[:32] + ".json")
            used.add(entry.name)
            try:
                mine = [Record(**r) for r in json.loads(entry.read_text(encoding="utf-8"))]
            except (OSError, ValueError, TypeError):
                mine = records(text, url)
                _write_whole(entry, json.dumps([r.__dict__ for r in mine], ensure_ascii=False))
            found += mine
    if store is not None:
        _save_reads(store, earlier)
        for old in store.iterdir():
            if old.name not in used:
                old.unlink(missing_ok=True)
    return found


# The search page ---------------------------------------------------------------------------------

#: Pagefind's ranking (https://pagefind.app/docs/ranking/), tuned with tipkb.build.search_quality.
RANKING: dict = {"pageLength": 0.3}

#: The words of Pagefind's default interface, each from the codebook (ui/pagefind_<key>).
UI_STRINGS = ("placeholder", "clear_search", "load_more", "search_label", "filters_label", "zero_results",
              "many_results", "one_result", "searching")


def page_config(lang: str) -> str:
    """The search page's settings (read by _static/kb-search.js), as JSON safe inside <script>."""
    config = {"translations": {key: labels.ui(f"pagefind_{key}", lang) for key in UI_STRINGS},
              "stopwords": labels.ui("search_stopwords", lang).split(),
              "filters_toggle": labels.ui("search_filters_toggle", lang),
              "ranking": RANKING}
    return json.dumps(config, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c").replace("&", "\\u0026")


# Writing the index -------------------------------------------------------------------------------

async def _write(found: list[Record], output: Path) -> None:
    """Index the records and write the bundle into ``output``.

    The bundle's files are asked for and written here rather than by Pagefind's service: the
    service answers "written" while its last writes may still be under way on its own threads
    (tokio's file writes are not flushed), and its Python client stops the service right after
    that answer, so on a busy machine a language's pagefind-entry.json was sometimes never written.
    """
    from pagefind.index import IndexConfig, PagefindIndex

    _replies_as_they_come()
    async with PagefindIndex(config=IndexConfig(exclude_selectors=["a.headerlink"])) as index:
        service = index._service
        _stop_with(index)
        _room_for_the_bundle(service)
        # All at once: the client matches replies to requests by number, and the service then
        # never waits for this side between two records (a third less time than one by one).
        await asyncio.gather(*(index.add_html_file(content=record.html, url=record.url) for record in found))
        files = await index.get_files()
        await index.delete_index()  # nothing left for the context's exit to write
    await service.close()
    for file in files:
        target = output / file["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file["content"])


WRITE_TIMEOUT = 600  # seconds for one language's index (about 1 s for this book)
BUNDLE_ROOM = 2**26  # bytes: one reply holds a language's whole bundle (about 2 MB in base64)


def _room_for_the_bundle(service) -> None:
    """Pagefind's client reads each reply with a 2 MiB limit (pagefind/service/__init__.py,
    PagefindService.launch); the reply that carries the bundle's files is larger."""
    reader = getattr(getattr(service, "_backend", None), "stdout", None)
    if not isinstance(getattr(reader, "_limit", None), int):
        raise RuntimeError("Pagefind's Python client no longer reads replies as tipkb.search expects "
                           "(pagefind 1.5.2): check _room_for_the_bundle before upgrading it")
    reader._limit = BUNDLE_ROOM


POLL_PAUSE = 0.1  # seconds: pagefind/service/__init__.py, PagefindService._wait_for_responses


def _replies_as_they_come() -> None:
    """Pagefind's Python client (pagefind 1.5.2) sleeps 0.1 s before it reads each reply of its
    indexing service, so 1,200 records took two minutes on any machine (4 s without the pause).
    Its reading loop waits for the next reply anyway: in this process, its module sees an asyncio
    whose ``sleep`` skips that pause; every other wait, and asyncio itself, are left alone."""
    import types

    import pagefind.service as service

    if getattr(service.asyncio, "kb_quick", False):
        return
    quick = types.ModuleType("asyncio")
    quick.__dict__.update(asyncio.__dict__)

    async def sleep(delay, result=None):
        return await asyncio.sleep(0 if delay == POLL_PAUSE else delay, result)

    quick.sleep, quick.kb_quick = sleep, True
    service.asyncio = quick


_backends: list = []


def _stop_with(index) -> None:
    """A stop signal takes Pagefind's service processes down with this one (the build stops its
    children with SIGTERM; a service would otherwise outlive its pipe's owner)."""
    backend = getattr(getattr(index, "_service", None), "_backend", None)
    if backend is not None:
        _backends.append(backend)

    def stop(signum, frame):
        for running in _backends:
            if running.returncode is None:
                try:
                    running.kill()
                except ProcessLookupError:
                    pass
        os._exit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, stop)


def build_index(site: Path, roots: dict[str, Path] | None = None, cache_dir: Path | None = RECORDS_CACHE) -> int:
    """Index every searchable page, each language into its own bundle (paths.search_bundle),
    reading each language's pages from ``roots`` (default: the site's own); return the records
    written. One Pagefind service per language, side by side: a language's search page needs
    only its own index, and two services take a third less time than one."""
    roots = roots or language_roots(site)
    found = site_records(roots, cache_dir)

    async def every_language():
        # A reply that never comes (a service that died) ends the build instead of hanging it.
        await asyncio.gather(*(asyncio.wait_for(_write([r for r in found if r.url.startswith(f"/{code}/")],
                                                       paths.search_bundle(site, code)), WRITE_TIMEOUT)
                               for code in roots))

    asyncio.run(every_language())
    return len(found)


def _language_root(value: str) -> tuple[str, Path]:
    code, sep, folder = value.partition("=")
    if not sep or code not in langs.LANGS:
        raise argparse.ArgumentTypeError(f"expected LANG=FOLDER with LANG one of {', '.join(langs.LANGS)}: {value!r}")
    return code, Path(folder).resolve()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the Pagefind index of a finished site.")
    parser.add_argument("site", type=Path, help="the site; each language's index is written to its pagefind/<lang>/ folder")
    parser.add_argument("--pages", type=_language_root, action="append", metavar="LANG=FOLDER",
                        help="read a language's pages from FOLDER instead of <site>/LANG (the build "
                             "indexes Sphinx's output while it copies it into the site)")
    args = parser.parse_args(argv)
    site = args.site.resolve()
    roots = language_roots(site)
    roots.update(dict(args.pages or ()))
    n = build_index(site, roots)
    print(f"search index: {n} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
