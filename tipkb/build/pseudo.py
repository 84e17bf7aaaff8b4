"""Proof that languages are a list: add a generated pseudo-language to a copy of the project,
build it as a third site, and check that no English interface string is left in it.

    python -m tipkb.build.pseudo <copy of the project>      # adds "qps", builds, checks

Every string a translator would translate is transformed (accented and bracketed: "Detected
victims" -> "⟦Détéctéd víctíms⟧"), with {placeholders}, link targets, roles and HTML tags left
intact: the codebook (label_qps), every ``*_en`` column of data/ (``*_qps``), the pages
(locales/qps/LC_MESSAGES/**/*.po, from freshly extracted English), the theme strings and
site.yml. Nothing of this is published: it runs on a copy (tests/test_languages.py, slow).
"""
from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import yaml

CODE = "qps"
ACCENTS = str.maketrans("aeiouAEIOUcn", "áéíóúÁÉÍÓÚçñ")
# Never transformed: placeholders and roles, code, Markdown link targets, HTML tags and entities,
# MyST targets, and addresses.
PROTECTED = re.compile(r"%\(\w+\)[sd]|%[sd]|\{[^{}]*\}`[^`]*`|\{[^{}]*\}|`[^`]*`|\]\([^)]*\)|<[^>]+>|&\w+;|\([\w-]+\)=|https?://\S+")


def pseudo(text: str) -> str:
    if not re.search(r"[A-Za-z]", text):
        return text
    out, last = [], 0
    for match in PROTECTED.finditer(text):
        out.append(text[last:match.start()].translate(ACCENTS))
        out.append(match.group(0))
        last = match.end()
    out.append(text[last:].translate(ACCENTS))
    return "⟦" + "".join(out) + "⟧"


def _rewrite_csv(path: Path, transform) -> None:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fields, rows = list(reader.fieldnames or []), list(reader)
    fields, rows = transform(fields, rows)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def add_to_data(root: Path) -> None:
    """label_qps in the codebook, a *_qps column beside every *_en column, and their schema."""
    import hashlib

    data = root / "data"
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        fields = resource["schema"]["fields"]
        english = [f for f in fields if f["name"].endswith("_en")]
        for field in english:
            twin = dict(field, name=field["name"][:-3] + "_" + CODE)
            fields.insert(fields.index(field) + 1, twin)
        if resource["name"] == "codebook":
            fields.append({"name": f"source_hash_{CODE}", "type": "string"})
        if english or resource["name"] == "codebook":
            def transform(names, rows, english=english, codebook=resource["name"] == "codebook"):
                for field in english:
                    twin = field["name"][:-3] + "_" + CODE
                    names.insert(names.index(field["name"]) + 1, twin)
                    for row in rows:
                        row[twin] = pseudo(row[field["name"]]) if row[field["name"]] else ""
                if codebook:
                    names.append(f"source_hash_{CODE}")
                    for row in rows:
                        row[f"source_hash_{CODE}"] = hashlib.sha1(row["label_en"].encode("utf-8")).hexdigest()[:8]
                return names, rows

            _rewrite_csv(data / resource["path"], transform)
    (data / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def add_language(root: Path) -> Path:
    """locales/languages.yml with the pseudo-language appended; locales/qps/site.yml."""
    path = root / "locales" / "languages.yml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    source = entries[0]
    entries.append(dict(source, code=CODE, native_name=pseudo("Pseudo")))
    path.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")
    base = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    site = {"title": pseudo(base["title"]), "author": pseudo(base["author"]),
            "sphinx": {"config": {"html_theme_options": {
                "search_bar_text": pseudo(base["sphinx"]["config"]["html_theme_options"]["search_bar_text"]),
                # sphinx-book-theme translates its toc title only for languages it ships.
                "toc_title": pseudo("Contents")}}}}
    (root / "locales" / CODE).mkdir(parents=True, exist_ok=True)
    (root / "locales" / CODE / "site.yml").write_text(yaml.safe_dump(site, allow_unicode=True), encoding="utf-8")
    return path


def add_catalogs(root: Path) -> list[str]:
    """A .po per chapter from freshly extracted English, every message transformed; the theme's
    strings from the existing translation's sphinx.po. Returns every English message."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    env_root = str(root)
    subprocess.run([sys.executable, "-c", "from tipkb.build import translations; translations.extract()"], cwd=root,
                   check=True, env={**__import__("os").environ, "PYTHONPATH": env_root}, stdout=subprocess.DEVNULL)
    pot_dir = root / "_build" / "gettext" / "_build" / "gettext"
    messages = []
    sources = [([pot], pot.relative_to(pot_dir).with_suffix(".po")) for pot in sorted(pot_dir.rglob("*.pot"))]
    # The theme's strings: ours (an existing translation's sphinx.po) and those that Sphinx and
    # the themes ship catalogs for in real languages ("Skip to main content", "Contents").
    sources.append(([root / "locales" / langs_translated(root) / "LC_MESSAGES" / "sphinx.po", *theme_catalogs()],
                    Path("sphinx.po")))
    for files, rel in sources:
        catalog = Catalog(locale=None, domain=rel.stem)
        for src in files:
            with open(src, "rb") as fh:
                for message in read_po(fh):
                    if message.id and isinstance(message.id, str) and message.id not in catalog:
                        catalog.add(message.id, pseudo(message.id))
                        messages.append(message.id)
        target = root / "locales" / CODE / "LC_MESSAGES" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as fh:
            write_po(fh, catalog, width=0)
    return messages


def langs_translated(root: Path) -> str:
    """An existing translation of the project (its sphinx.po lists the theme strings we override)."""
    entries = yaml.safe_load((root / "locales" / "languages.yml").read_text(encoding="utf-8"))
    return entries[1]["code"]


def theme_catalogs() -> list[Path]:
    """The Spanish catalogs of the themes (any real language would do: they list the msgids)."""
    import pydata_sphinx_theme

    return [Path(pydata_sphinx_theme.__file__).parent / "locale" / "es" / "LC_MESSAGES" / "sphinx.po"]


class _Visible(HTMLParser):
    """Visible text of a page, except scripts and elements marked with another language."""

    def __init__(self, lang: str):
        super().__init__(convert_charrefs=True)
        self.lang, self.stack, self.texts = lang, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("br", "img", "meta", "link", "input", "hr", "wbr"):
            return
        self.stack.append((tag, tag in ("script", "style") or attrs.get("lang") not in (None, self.lang)))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not any(skip for _, skip in self.stack):
            self.texts.append(data)


def english_fragments(root: Path, messages: list[str]) -> set[str]:
    """Distinctive English runs of every interface string: the codebook's labels and the pages'
    messages, split at placeholders and markup, at least 8 characters (elements in another
    language, such as source titles, are not read)."""
    fragments = set()
    with open(root / "data" / "codebook.csv", newline="", encoding="utf-8") as fh:
        labels = [r["label_en"] for r in csv.DictReader(fh)]
    for text in labels + messages:
        for part in re.split(PROTECTED.pattern + r"|\*\*|\n", text):
            part = (part or "").strip(" .,;:()[]*_")
            if len(part) >= 8 and re.search(r"[aeiou]", part):
                fragments.add(part)
    return fragments


def check(root: Path, messages: list[str]) -> list[str]:
    """Problems of the pseudo-language site: a page missing, or English interface text in it."""
    site = root / "_build" / "site"
    english_pages = {p.relative_to(site / "en") for p in (site / "en").rglob("*.html") if "_static" not in p.parts}
    pseudo_pages = {p.relative_to(site / CODE) for p in (site / CODE).rglob("*.html") if "_static" not in p.parts}
    problems = [f"missing in {CODE}: {p}" for p in sorted(english_pages - pseudo_pages)]
    fragments = english_fragments(root, messages)
    for page in sorted(pseudo_pages):
        parser = _Visible(CODE)
        parser.feed((site / CODE / page).read_text(encoding="utf-8"))
        text = " ".join(" ".join(parser.texts).split())
        problems += [f"{CODE}/{page}: untransformed {f!r}" for f in sorted(fragments) if f in text]
    return problems


def main(argv: list[str]) -> int:
    root = Path(argv[0]).resolve()
    add_to_data(root)
    languages = add_language(root)
    messages = add_catalogs(root)
    env = {**__import__("os").environ, "PYTHONPATH": str(root), "TIPKB_LANGUAGES": str(languages)}
    result = subprocess.run([sys.executable, "-m", "tipkb.build.site"], cwd=root, env=env)
    if result.returncode != 0:
        print("the pseudo-language build failed", file=sys.stderr)
        return 1
    problems = check(root, messages)
    for line in problems[:50]:
        print(line)
    site = root / "_build" / "site" / CODE
    pages = len([p for p in site.rglob("*.html") if "_static" not in p.parts])
    print(f"pseudo-language {CODE!r}: {pages} pages, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
