"""Files of the finished site that are not Sphinx pages: the language chooser at the root, a
bilingual 404 page, sitemap.xml and the downloadable data package.

All are written deterministically (sorted entries, fixed timestamps), so two builds of the same
commit produce the same bytes.
"""
from __future__ import annotations

import html
import os
import re
import zipfile
from pathlib import Path

from .. import labels, paths
from .. import lang as langs

ZIP_NAME = paths.DATA_ZIP
FIXED_TIME = (2026, 1, 1, 0, 0, 0)  # zip entries need a date; a fixed one keeps the archive reproducible

ROOT_INDEX = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title_en} / {title_es}</title>
<link rel="alternate" hreflang="en" href="en/book/index.html">
<link rel="alternate" hreflang="es" href="es/book/index.html">
<link rel="alternate" hreflang="x-default" href="./">
<script>
(function () {{
  var langs = ["en", "es"], choice = null;
  try {{ choice = localStorage.getItem("kb-lang"); }} catch (e) {{}}
  if (langs.indexOf(choice) < 0) {{
    var prefs = navigator.languages || [navigator.language || ""];
    for (var i = 0; i < prefs.length && !choice; i++) {{
      var code = (prefs[i] || "").toLowerCase().slice(0, 2);
      if (langs.indexOf(code) >= 0) choice = code;
    }}
  }}
  window.location.replace((choice || "en") + "/book/index.html");
}})();
</script>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5; }}
a {{ display: block; font-size: 1.25rem; margin: 1rem 0; }}
</style>
</head>
<body>
<h1>{title_en} / <span lang="es">{title_es}</span></h1>
<p lang="en"><a href="en/book/index.html" hreflang="en">Read in English</a></p>
<p lang="es"><a href="es/book/index.html" hreflang="es">Leer en español</a></p>
</body>
</html>
"""

NOT_FOUND = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title_en} / {title_es}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5; }}
section {{ margin-bottom: 2.5rem; }}
</style>
</head>
<body>
<section lang="en" id="en">
<h1>{title_en}</h1>
<p>{text_en}</p>
<p><a class="home" data-lang="en" href="/">{home_en}</a></p>
</section>
<section lang="es" id="es">
<h1>{title_es}</h1>
<p>{text_es}</p>
<p><a class="home" data-lang="es" href="/">{home_es}</a></p>
</section>
<script>
// The site may live under a sub-path (e.g. GitHub Pages): find it from the address, then point the
// links at that language's home page and show the reader's language first. The address is the
// reader's to choose ("//evil.example/en/x" is a valid path): runs of slashes are folded and a
// link that would leave this site is not rewritten.
(function () {{
  var path = window.location.pathname.replace(/[\\/\\\\]+/g, "/");
  var m = path.match(/^(.*?\\/)({lang_pattern})\\//), base = m ? m[1] : "/";
  var lang = m ? m[2] : ((navigator.language || "en").slice(0, 2) === "es" ? "es" : "en");
  document.querySelectorAll("a.home").forEach(function (a) {{
    var url = new URL(base + a.getAttribute("data-lang") + "/book/index.html", window.location.href);
    if (url.origin === window.location.origin) a.href = url.pathname;
  }});
  if (lang === "es") document.body.insertBefore(document.getElementById("es"), document.getElementById("en"));
  document.documentElement.lang = lang;
}})();
</script>
</body>
</html>
"""


def write_root_pages(site: Path) -> None:
    """The language chooser (index.html) and the bilingual 404 page."""
    titles = {lang: labels.ui("site_title", lang) for lang in langs.LANGS}
    (site / "index.html").write_text(ROOT_INDEX.format(title_en=html.escape(titles["en"]),
                                                       title_es=html.escape(titles["es"])), encoding="utf-8")
    values = {}
    for lang in langs.LANGS:
        values[f"title_{lang}"] = html.escape(labels.ui("not_found_title", lang))
        values[f"text_{lang}"] = html.escape(labels.ui("not_found_text", lang))
        values[f"home_{lang}"] = html.escape(labels.ui("not_found_home", lang))
    pattern = "|".join(re.escape(lang) for lang in langs.LANGS)
    (site / "404.html").write_text(NOT_FOUND.format(lang_pattern=pattern, **values), encoding="utf-8")


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


def write_data_zip(site: Path, data_dir: Path = paths.DATA) -> Path:
    """The whole data package in one zip: tables, schema, sources, codebook, licences, provenance."""
    target = site / "downloads" / ZIP_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in data_dir.rglob("*") if p.is_file() and "curated" not in p.relative_to(data_dir).parts)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            info = zipfile.ZipInfo(f"tip-americas-kb-data/{path.relative_to(data_dir).as_posix()}", FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    return target


def write_extras(site: Path) -> None:
    write_root_pages(site)
    write_sitemap(site, os.environ.get("KB_SITE_URL", ""))
    write_data_zip(site)
    (site / ".nojekyll").write_text("")
