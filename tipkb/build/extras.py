"""Files of the finished site that are not Sphinx pages: the language chooser at the root, a
bilingual 404 page, sitemap.xml and the downloadable data package.

All are written deterministically (sorted entries, fixed timestamps), so two builds of the same
commit produce the same bytes.
"""
from __future__ import annotations

import hashlib
import html
import os
import shutil
import zipfile
from pathlib import Path
from urllib.parse import quote

from .. import labels, paths
from .. import lang as langs

ZIP_NAME = paths.DATA_ZIP
FIXED_TIME = (2026, 1, 1, 0, 0, 0)  # zip entries need a date; a fixed one keeps the archive reproducible

def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _head(title: str, extra: str, style: str) -> str:
    """The start of a stand-alone page of the site's root, in the source language's markup."""
    return f"""<!DOCTYPE html>
<html lang="{langs.DEFAULT}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="{favicon_uri()}">
{extra}
<style>
body {{ font-family: system-ui, sans-serif; margin: 4rem auto; padding: 0 1rem; line-height: 1.5; }}
{style}
</style>
</head>"""


def root_index() -> str:
    """The language chooser: the reader's last choice or browser language, plain links without JS."""
    codes = list(langs.LANGS)
    titles = {lang: html.escape(labels.ui("site_title", lang)) for lang in codes}
    alternates = "\n".join(f'<link rel="alternate" hreflang="{c}" href="{c}/book/index.html">' for c in codes)
    heading = " / ".join(f'<span lang="{c}">{titles[c]}</span>' for c in codes)
    links = "\n".join(f'<p lang="{c}"><a href="{c}/book/index.html" hreflang="{c}">'
                      f'{html.escape(labels.ui("read_in_language", c))}</a></p>' for c in codes)
    script = f"""{alternates}
<link rel="alternate" hreflang="x-default" href="./">
<script>
(function () {{
  var langs = {_json(codes)}, choice = null;
  try {{ choice = localStorage.getItem("kb-lang"); }} catch (e) {{}}
  if (langs.indexOf(choice) < 0) {{
    var prefs = navigator.languages || [navigator.language || ""];
    for (var i = 0; i < prefs.length && !choice; i++) {{
      var code = (prefs[i] || "").toLowerCase().split("-")[0];
      if (langs.indexOf(code) >= 0) choice = code;
    }}
  }}
  window.location.replace((choice || langs[0]) + "/book/index.html");
}})();
</script>"""
    style = "body { max-width: 36rem; }\na { display: block; font-size: 1.25rem; margin: 1rem 0; }"
    return _head(" / ".join(titles[c] for c in codes), script, style) + f"""
<body>
<h1>{heading}</h1>
{links}
</body>
</html>
"""


def not_found() -> str:
    """A 404 page in every language; links to the home page found from the address's own path
    (never from a host named in the request), the reader's language first."""
    codes = list(langs.LANGS)
    sections = "\n".join(
        f'<section lang="{c}" id="{c}">\n<h1>{html.escape(labels.ui("not_found_title", c))}</h1>\n'
        f'<p>{html.escape(labels.ui("not_found_text", c))}</p>\n'
        f'<p><a class="home" data-lang="{c}" href="{c}/book/index.html">{html.escape(labels.ui("not_found_home", c))}</a></p>\n'
        f'</section>' for c in codes)
    title = " / ".join(html.escape(labels.ui("not_found_title", c)) for c in codes)
    style = "body { max-width: 40rem; }\nsection { margin-bottom: 2.5rem; }"
    return _head(title, '<meta name="robots" content="noindex">', style) + f"""
<body>
{sections}
<script>
// The site may live under a sub-path (e.g. GitHub Pages): find it from the address's path, then
// point the links at each language's home page and show the reader's language first. The address
// is the reader's to choose ("//evil.example/en/x" is a valid path): runs of slashes are folded and
// a link that would leave this site is not rewritten.
(function () {{
  var langs = {_json(codes)};
  var path = window.location.pathname.replace(/[\\/\\\\]+/g, "/");
  var m = path.match(new RegExp("^(.*?/)(" + langs.join("|") + ")/"));
  var base = m ? m[1] : "/";
  var lang = m ? m[2] : (navigator.language || "").toLowerCase().split("-")[0];
  document.querySelectorAll("a.home").forEach(function (a) {{
    var url = new URL(base + a.getAttribute("data-lang") + "/book/index.html", window.location.href);
    if (url.origin === window.location.origin) a.href = url.pathname;
  }});
  var first = document.getElementById(lang);
  if (first) document.body.insertBefore(first, document.body.firstElementChild);
  if (langs.indexOf(lang) >= 0) document.documentElement.lang = lang;
}})();
</script>
</body>
</html>
"""


def favicon_uri() -> str:
    """The site's icon (_static/favicon.svg) as a data: address: the 404 page is served at any
    path, so a relative link to the file would not resolve, and browsers ask for /favicon.ico
    when a page names no icon."""
    return "data:image/svg+xml," + quote((paths.ROOT / "_static" / "favicon.svg").read_text(encoding="utf-8").strip())


def write_root_pages(site: Path) -> None:
    """The language chooser (index.html) and the 404 page."""
    (site / "index.html").write_text(root_index(), encoding="utf-8")
    (site / "404.html").write_text(not_found(), encoding="utf-8")


def site_pages(site: Path, lang: str) -> list[str]:
    return sorted(p.relative_to(site / lang).as_posix() for p in (site / lang).rglob("*.html")
                  if "_static" not in p.parts and p.name not in ("genindex.html", "search.html")
                  and p.relative_to(site / lang).as_posix() != "index.html")


def write_sitemap(site: Path, base_url: str) -> None:
    """sitemap.xml with both languages of every page linked as alternates. Search engines need
    absolute addresses: without a base URL (KB_SITE_URL) the sitemap uses site-relative paths."""
    base = base_url.rstrip("/") + "/" if base_url else ""
    entries = []
    for page in site_pages(site, langs.DEFAULT):
        alternates = "".join(f'<xhtml:link rel="alternate" hreflang="{lang}" href="{base}{lang}/{page}"/>'
                             for lang in langs.LANGS)
        for lang in langs.LANGS:
            entries.append(f"<url><loc>{base}{lang}/{page}</loc>{alternates}</url>")
    (site / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
        + "\n".join(entries) + "\n</urlset>\n", encoding="utf-8")
    if base:
        (site / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n", encoding="utf-8")


def measure_exports() -> dict[str, bytes]:
    """The measures table in every language, labels translated: CSV (UTF-8 with BOM) and XLSX."""
    from .. import data, measures
    from ..page import csv_bytes, xlsx_bytes

    if not measures.available():
        return {}
    table = data.table("measures")
    out = {}
    for lang in langs.LANGS:
        frame = measures.download_table(table, lang)
        out[f"measures-{lang}.csv"] = csv_bytes(frame)
        out[f"measures-{lang}.xlsx"] = xlsx_bytes({labels.label("table", "measures", lang): frame})
    return out


DOWNLOADS_CACHE = paths.BUILD / "cache" / "downloads"


def _package_files(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.rglob("*") if p.is_file() and "curated" not in p.relative_to(data_dir).parts)


def _downloads_key(data_dir: Path) -> str:
    """What the downloads are made of: the data files and the code that exports them."""
    digest = hashlib.sha256()
    code = sorted((paths.ROOT / "tipkb").rglob("*.py"))
    for path in _package_files(data_dir) + code:
        digest.update(path.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:24]


def write_downloads(site: Path, data_dir: Path = paths.DATA) -> Path:
    """The data zip and the measures exports, made once per version of the data and code (making
    them takes about a second, which a text-only rebuild need not pay) and copied into the site."""
    cached = DOWNLOADS_CACHE / _downloads_key(data_dir)
    if not cached.is_dir():
        partial = cached.with_name(cached.name + f".{os.getpid()}.tmp")
        shutil.rmtree(partial, ignore_errors=True)
        write_data_zip(partial, data_dir)
        for old in DOWNLOADS_CACHE.iterdir():  # only the current version is kept
            if old != partial:
                shutil.rmtree(old, ignore_errors=True)
        partial.rename(cached)
    shutil.copytree(cached, site / "downloads", dirs_exist_ok=True)
    return site / "downloads" / ZIP_NAME


def write_data_zip(target_dir: Path, data_dir: Path = paths.DATA) -> Path:
    """The whole data package in one zip: tables, schema, sources, codebook, licences, provenance,
    and the measures in every language (exports/), which also sit beside the zip."""
    target = target_dir / ZIP_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    files = _package_files(data_dir)
    exports = measure_exports()
    for name, payload in exports.items():
        (target.parent / name).write_bytes(payload)
    entries = [(path.relative_to(data_dir).as_posix(), path.read_bytes()) for path in files]
    entries += [(f"exports/{name}", payload) for name, payload in sorted(exports.items())]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, payload in entries:
            info = zipfile.ZipInfo(f"tip-americas-kb-data/{name}", FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, payload)
    return target


def write_extras(site: Path) -> None:
    write_root_pages(site)
    write_sitemap(site, os.environ.get("KB_SITE_URL", ""))
    write_downloads(site)
    (site / ".nojekyll").write_text("")
