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
"""
from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

from .. import paths
from . import config

POT_DIR = paths.BUILD / "gettext"


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
    for po_path in sorted((paths.LOCALES / lang / "LC_MESSAGES").rglob("*.po")):
        with open(po_path, "rb") as fh:
            catalog = read_po(fh)
        messages = [m for m in catalog if m.id]
        done = [m for m in messages if m.string and not m.fuzzy
                and (all(m.string) if isinstance(m.string, tuple) else True)]
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
            with open(po_path, "rb") as fh:
                translated = {m.id: m for m in read_po(fh) if m.id and m.string and not m.fuzzy}
        with open(pot_path, "rb") as fh:
            missing += [f"{rel}: {m.id[:70]!r}" for m in read_po(fh) if m.id and m.id not in translated]
    return missing


def update(lang: str) -> None:
    pot_dir = extract()
    cmd = [str(Path(sys.executable).parent / "sphinx-intl"), "update", "-p", str(pot_dir), "-l", lang,
           "-d", str(paths.LOCALES), "-w", "0"]
    subprocess.run(cmd, check=True, cwd=paths.ROOT, stdout=subprocess.DEVNULL)


def main(argv: list[str]) -> int:
    from .. import lang as langs

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
    ok = True
    for lang in langs.translations():
        if not check_only:
            update(lang)  # --check leaves the .po files alone
        rows = coverage(lang)
        width = max(len(str(r.path.relative_to(paths.ROOT))) for r in rows) if rows else 10
        for r in rows:
            print(f"{str(r.path.relative_to(paths.ROOT)):<{width}}  {r.translated:>4}/{r.total:<4}  {r.percent:5.1f} %")
        total = sum(r.total for r in rows)
        done = sum(r.translated for r in rows)
        print(f"{'all [' + lang + ']':<{width}}  {done:>4}/{total:<4}  {100.0 * done / max(total, 1):5.1f} %")
        if check_only:
            behind = stale(lang)
            for line in behind:
                print(f"not translated [{lang}] (the .po file is older than the English source): {line}")
            ok = ok and done == total and not behind
    return 0 if ok else 1




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
