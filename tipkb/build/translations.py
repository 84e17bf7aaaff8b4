"""Refresh the Spanish translation files after English edits, and report coverage.

1. Extract the English messages (Sphinx gettext builder, one .pot per chapter). Notebooks are
   not executed for this: their outputs are produced in each language by the code, so they are
   not translation messages.
2. Merge them into ``locales/<lang>/LC_MESSAGES/**/*.po`` with sphinx-intl (existing
   translations are kept; changed English text becomes "fuzzy").
3. Print, per file, the share of messages translated (fuzzy ones do not count: Sphinx does not
   use them).

``--codebook`` lists interface labels (data/codebook.csv) whose translation is older than their
English; ``--stamp <lang> [domain/code ...]`` records that a translator reviewed them.

``locales/<lang>/LC_MESSAGES/sphinx.po`` holds the theme's interface strings and is maintained by
hand (the gettext builder does not see templates).

Translations come from people outside the core team, so the build treats them as untrusted:
:func:`check` parses every ``.po`` file strictly (Babel, which Sphinx uses, skips a malformed line
and silently keeps part of a string) and compares each translation's placeholders and markup (HTML
tags, MyST roles, directives and substitutions, link targets, addresses) with its English message.
A translation may reword the English, not add a tag, a link or a role to it.
"""
from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.pofile import read_po

from .. import lang as langs
from .. import myst, paths
from . import config

POT_DIR = paths.BUILD / "gettext"


@dataclass(frozen=True)
class PoProblem:
    path: Path
    line: int
    rule: str
    detail: str

    def __str__(self) -> str:
        try:
            shown = self.path.relative_to(paths.ROOT)
        except ValueError:
            shown = self.path
        return f"{shown}, line {self.line}: {self.rule}: {self.detail}"


@dataclass
class PoEntry:
    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    msgstr_line: int = 0
    fuzzy: bool = False
    seen: set = field(default_factory=set)

    @property
    def translations(self) -> list[str]:
        return [self.msgstr[k] for k in sorted(self.msgstr)]


_KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[(\d+)\])?)\s+(".*)$')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _literal(text: str) -> str:
    """The value of one C string literal ("..."), or ValueError saying what is wrong with it."""
    text = text.strip()
    if len(text) < 2 or not text.startswith('"') or not text.endswith('"'):
        raise ValueError(f"not a complete quoted string: {text[:60]!r}")
    out, i, body = [], 0, text[1:-1]
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            if i + 1 >= len(body) or body[i + 1] not in _ESCAPES:
                raise ValueError(f"unknown escape {body[i:i + 2]!r}")
            out.append(_ESCAPES[body[i + 1]])
            i += 2
            continue
        if ch == '"':
            raise ValueError(f"unescaped quote inside the string: {text[:60]!r}")
        out.append(ch)
        i += 1
    return "".join(out)


def parse_po(path: Path) -> tuple[list[PoEntry], list[PoProblem]]:
    """Entries of a .po file, and every line that is not valid PO syntax (nothing is skipped
    silently: a problem stops the build, see :func:`check`)."""
    problems: list[PoProblem] = []
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        line = path.read_bytes()[:err.start].count(b"\n") + 1
        return [], [PoProblem(path, line, "utf-8", f"byte {path.read_bytes()[err.start]:#04x} is not UTF-8")]
    entries: list[PoEntry] = []
    current: PoEntry | None = None
    target: tuple[str, int | None] | None = None  # the keyword a continuation line extends
    fuzzy_next = False

    def finish():
        nonlocal current
        if current is not None:
            if not current.msgstr:
                problems.append(PoProblem(path, current.line, "po-syntax", "msgid without msgstr"))
            entries.append(current)
        current = None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in (f.strip() for f in line[2:].split(",")):
                fuzzy_next = True
            target = None  # obsolete (#~) entries and comments end any string
            continue
        try:
            if line.startswith('"'):
                if current is None or target is None:
                    raise ValueError("a string line outside an entry")
                value = _literal(line)
                key, index = target
                if key == "msgstr":
                    current.msgstr[index] += value
                else:
                    setattr(current, key, getattr(current, key) + value)
                continue
            match = _KEYWORD.match(line)
            if not match:
                raise ValueError(f"unknown keyword: {line[:60]!r}")
            keyword, index, rest = match.group(1), match.group(2), match.group(3)
            value = _literal(rest)
            if keyword in ("msgctxt", "msgid") and (
                    current is None or current.msgstr or keyword in current.seen
                    or (keyword == "msgctxt" and "msgid" in current.seen)):
                finish()  # a new entry (and a missing msgstr is reported)
                current = PoEntry(line=number, fuzzy=fuzzy_next)
                fuzzy_next = False
            if current is None:
                raise ValueError(f"{keyword} before any msgid")
            current.seen.add(keyword)
            if keyword.startswith("msgstr"):
                slot = int(index) if index is not None else 0
                if slot in current.msgstr:
                    raise ValueError(f"{keyword} given twice")
                current.msgstr[slot] = value
                current.msgstr_line = current.msgstr_line or number
                target = ("msgstr", slot)
            else:
                if keyword == "msgid":
                    current.line = current.line if current.msgctxt is not None else number
                setattr(current, keyword, value)
                target = (keyword, None)
        except ValueError as err:
            problems.append(PoProblem(path, number, "po-syntax", str(err)))
            target = None
    finish()
    seen: dict[tuple, int] = {}
    for entry in entries:
        key = (entry.msgctxt, entry.msgid)
        if key in seen and entry.msgid:
            problems.append(PoProblem(path, entry.line, "po-syntax", f"msgid repeated (first at line {seen[key]})"))
        seen.setdefault(key, entry.line)
    return entries, problems


# What a translation must carry over from the English unchanged, and may not add.
_ROLE = re.compile(r"\{([A-Za-z][\w:+.-]*)\}(`+)(.*?)\2", re.S)
_CODE = re.compile(r"(`+)(.+?)\1", re.S)
PLACEHOLDER = re.compile(r"%\([^)]+\)[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]|%[#0 +-]*\d*(?:\.\d+)?[sdifr]|\{[A-Za-z_]\w*\}(?!`)")


def markup(text: str) -> Counter:
    """The placeholders and markup of a message, as (kind, text) counts. Inline code is literal
    text and is left out, except MyST roles, which are kept whole (name and content)."""
    found: Counter = Counter()
    for role in _ROLE.finditer(text):
        found[("MyST role", f"{{{role.group(1)}}}`{role.group(3)}`")] += 1
    rest = _CODE.sub(" ", _ROLE.sub(" ", text))
    found.update(myst.markup_in(rest))
    for match in PLACEHOLDER.finditer(rest):
        found[("placeholder", match.group(0))] += 1
    return found


def _describe(tokens: Counter) -> str:
    return ", ".join(f"{kind} {token!r}" for (kind, token) in sorted(tokens))


# Catalogs whose strings theme templates insert without escaping (in text and in attributes).
TEMPLATE_CATALOGS = ("sphinx.po",)
_TEMPLATE_UNSAFE = set("<>\"'&`")


def check_file(path: Path) -> list[PoProblem]:
    entries, problems = parse_po(path)
    template = path.name in TEMPLATE_CATALOGS
    for entry in entries:
        if not entry.msgid:
            continue  # the header
        english = markup(entry.msgid) | (markup(entry.msgid_plural) if entry.msgid_plural else Counter())
        for text in entry.translations:
            if not text:
                continue
            mine = markup(text)
            added, dropped = mine - english, (markup(entry.msgid) - mine if entry.msgid_plural is None else Counter())
            line = entry.msgstr_line or entry.line
            if added:
                problems.append(PoProblem(path, line, "markup-not-in-english",
                                          f"the translation adds {_describe(added)} (English: {entry.msgid[:60]!r})"))
            if dropped:
                problems.append(PoProblem(path, line, "markup-missing",
                                          f"the translation lacks {_describe(dropped)} (English: {entry.msgid[:60]!r})"))
            unsafe = sorted((set(text) & _TEMPLATE_UNSAFE) - set(entry.msgid)) if template else []
            if unsafe:
                problems.append(PoProblem(path, line, "template-text-is-plain",
                                          f"the translation adds {' '.join(unsafe)}, which theme templates "
                                          f"insert unescaped (English: {entry.msgid[:60]!r})"))
    return problems


def catalogs(lang: str) -> list[Path]:
    return sorted((paths.LOCALES / lang / "LC_MESSAGES").rglob("*.po"))


def check(lang: str) -> list[PoProblem]:
    """Every problem of a language's .po files: syntax, encoding, placeholders and markup."""
    return [problem for path in catalogs(lang) for problem in check_file(path)]


@dataclass
class Coverage:
    path: Path
    translated: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 if self.total == 0 else 100.0 * self.translated / self.total


def coverage(lang: str) -> list[Coverage]:
    out = []
    for po_path in catalogs(lang):
        messages = [m for m in parse_po(po_path)[0] if m.msgid]
        done = [m for m in messages if m.translations and all(m.translations) and not m.fuzzy]
        out.append(Coverage(po_path, len(done), len(messages)))
    return out


def extract() -> Path:
    base = config.load_yaml(paths.ROOT / "_config.yml")
    base["execute"]["execute_notebooks"] = "off"
    cfg_dir = paths.BUILD / "config" / "gettext"
    cfg_dir.mkdir(parents=True, exist_ok=True)
    import yaml

    (cfg_dir / "_config.yml").write_text(yaml.safe_dump(base, allow_unicode=True, sort_keys=False), encoding="utf-8")
    jb = str(Path(sys.executable).parent / "jupyter-book")
    cmd = [jb, "build", str(paths.ROOT), "--config", str(cfg_dir / "_config.yml"), "--path-output", str(POT_DIR),
           "--builder", "custom", "--custom-builder", "gettext", "--all", "-q"]
    subprocess.run(cmd, check=True, cwd=paths.ROOT, stdout=subprocess.DEVNULL)
    return POT_DIR / "_build" / "gettext"


def stale(lang: str) -> list[str]:
    """English messages in the current sources that have no (non-fuzzy) translation, file by file.

    Coverage alone can read 100 % when the .po files were not refreshed after an English edit;
    this compares with freshly extracted messages instead."""
    pot_dir = extract()
    missing = []
    for pot_path in sorted(pot_dir.rglob("*.pot")):
        rel = pot_path.relative_to(pot_dir).with_suffix(".po")
        po_path = paths.LOCALES / lang / "LC_MESSAGES" / rel
        translated = {}
        if po_path.exists():
            translated = {m.msgid: m for m in parse_po(po_path)[0] if m.msgid and all(m.translations) and not m.fuzzy}
        with open(pot_path, "rb") as fh:
            missing += [f"{rel}: {m.id[:70]!r}" for m in read_po(fh) if m.id and m.id not in translated]
    return missing


def update(lang: str) -> None:
    pot_dir = extract()
    cmd = [str(Path(sys.executable).parent / "sphinx-intl"), "update", "-p", str(pot_dir), "-l", lang,
           "-d", str(paths.LOCALES), "-w", "0"]
    subprocess.run(cmd, check=True, cwd=paths.ROOT, stdout=subprocess.DEVNULL)


def main(argv: list[str]) -> int:

    if argv[:1] == ["--codebook"]:
        behind_labels = {lang: codebook_stale(lang) for lang in langs.translations()}
        for lang, keys in behind_labels.items():
            for key in keys:
                print(f"stale [{lang}]: data/codebook.csv {key} (the English changed; review label_{lang}, then "
                      f"./scripts/translations --stamp {lang} {key})")
        return 1 if any(behind_labels.values()) else 0
    if argv[:1] == ["--stamp"]:
        lang, keys = argv[1], argv[2:]
        print(f"{stamp_codebook(lang, keys)} label(s) stamped as reviewed [{lang}]")
        return 0
    check_only = "--check" in argv
    translated = list(langs.translations())
    if not check_only:
        for lang in translated:
            update(lang)  # --check leaves the .po files alone
    failed = False
    for lang in translated:
        problems = check(lang)
        for problem in problems:
            print(problem)
        rows = coverage(lang)
        width = max(len(str(r.path.relative_to(paths.ROOT))) for r in rows) if rows else 10
        for r in rows:
            print(f"{str(r.path.relative_to(paths.ROOT)):<{width}}  {r.translated:>4}/{r.total:<4}  {r.percent:5.1f} %")
        total = sum(r.total for r in rows)
        done = sum(r.translated for r in rows)
        print(f"{'all [' + lang + ']':<{width}}  {done:>4}/{total:<4}  {100.0 * done / max(total, 1):5.1f} %")
        if problems:
            print(f"{len(problems)} problem(s) in the [{lang}] .po files: the build refuses them.")
        failed |= bool(problems)
        if check_only:
            behind = stale(lang)
            for line in behind:
                print(f"not translated [{lang}] (the .po file is older than the English source): {line}")
            failed |= done != total or bool(behind)
    return 1 if failed else 0




# Interface labels (data/codebook.csv) --------------------------------------------------------
# Each translated column label_<lang> has a source_hash_<lang> column: the first 8 hex digits of
# the SHA-1 of the English label it translates. When the English changes, the hash no longer
# matches and the translation is stale until a translator reviews it and stamps it.

def english_hash(text: str) -> str:
    import hashlib

    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def _codebook_rows() -> tuple[list[str], list[dict]]:
    import csv

    with open(paths.DATA / "codebook.csv", newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def codebook_stale(lang: str) -> list[str]:
    """'domain/code' of every label whose translation is older than its English."""
    _, rows = _codebook_rows()
    return [f"{r['domain']}/{r['code']}" for r in rows if r.get(f"source_hash_{lang}") != english_hash(r["label_en"])]


def stamp_codebook(lang: str, keys: list[str] | None = None) -> int:
    """Mark translations as reviewed against the current English (all, or the given keys)."""
    import csv

    fields, rows = _codebook_rows()
    column = f"source_hash_{lang}"
    if column not in fields:
        fields.append(column)
    wanted = set(keys or [])
    n = 0
    for r in rows:
        if not wanted or f"{r['domain']}/{r['code']}" in wanted:
            new = english_hash(r["label_en"])
            n += r.get(column) != new
            r[column] = new
    with open(paths.DATA / "codebook.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return n


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
