"""Page weights of the built site.

- ``python -m tipkb.build.weights [site]``: per page, its HTML and the images it shows (the theme's
  shared CSS and JavaScript are counted once per site, not per page).
- ``python -m tipkb.build.weights --transfer [site] [--page en/book/...]``: bytes transferred for a
  cold load in Chromium, every resource the browser requests, text compressed with gzip as a static
  host serves it, images and fonts as stored; per resource type, for the heaviest page measured
  (by default every country page in every language).
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .. import paths
from ..lang import LANGS

LIMIT = 1.5 * 2**20  # no page over 1.5 MB
IMG = re.compile(r'<img[^>]+src="([^"]+)"')


def page_weight(page: Path) -> int:
    html = page.read_text(encoding="utf-8")
    images = {(page.parent / src).resolve() for src in IMG.findall(html) if not src.startswith(("http", "data:"))}
    return page.stat().st_size + sum(p.stat().st_size for p in images if p.exists())


def pages(site: Path, lang: str) -> list[Path]:
    return [p for p in (site / lang).rglob("*.html") if "_static" not in p.parts]


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def weights(site: Path) -> dict[str, list[tuple[int, str]]]:
    return {lang: sorted(((page_weight(p), str(p.relative_to(site))) for p in pages(site, lang)), reverse=True)
            for lang in LANGS}


def report(site: Path) -> str:
    lines = []
    for lang, items in weights(site).items():
        lines.append(f"site size [{lang}]: {dir_size(site / lang) / 2**20:.1f} MB in {len(items)} pages; heaviest pages:")
        lines += [f"    {w / 2**10:8.0f} KB  {name}" for w, name in items[:5]]
        over = [name for w, name in items if w > LIMIT]
        lines.append(f"    pages over 1.5 MB: {len(over)}" + (f" ({', '.join(over)})" if over else ""))
    lines.append("search index (Pagefind): " + ", ".join(
        f"{lang} {dir_size(paths.search_bundle(site, lang)) / 2**20:.1f} MB" for lang in LANGS))
    return "\n".join(lines)


# --- Bytes transferred for a cold load, as a reader's browser gets them ---------------------------

#: Served compressed by static hosts (GitHub Pages, Netlify, nginx's gzip_static): gzip of the file.
COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".map", ".csv", ".ico"}
GZIP_LEVEL = 6  # the usual on-the-fly level (nginx, GitHub Pages)
KINDS = ("Document", "Stylesheet", "Script", "Font", "Image", "Fetch", "Other")


def transferred(path: Path) -> int:
    """Bytes on the wire for one file: gzip of text, images and fonts as they are."""
    body = path.read_bytes()
    if path.suffix.lower() in COMPRESSIBLE:
        return len(gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0))
    return len(body)


@contextmanager
def _serve(site: Path):
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


def _chromium(width: int, height: int):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                f"--window-size={width},{height}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=opts)


def _load(driver, url: str) -> list[dict]:
    """Every request the browser makes for one cold page load (scrolled to the end, so that images
    further down are counted too): url, CDP resource type, HTTP status."""
    driver.get_log("performance")  # drop what came before
    driver.get(url)
    for _ in range(100):
        if driver.execute_script("return document.readyState") == "complete":
            break
        time.sleep(0.05)
    driver.execute_script("window.scrollTo(0, document.documentElement.scrollHeight)")
    time.sleep(1.0)  # late requests: scripts loaded by scripts, images coming into view
    requests: dict[str, dict] = {}
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        params = msg.get("params", {})
        if msg["method"] == "Network.requestWillBeSent":
            requests[params["requestId"]] = {"url": params["request"]["url"], "type": params.get("type", "Other"), "status": None}
        elif msg["method"] == "Network.responseReceived" and params["requestId"] in requests:
            requests[params["requestId"]]["status"] = params["response"]["status"]
            requests[params["requestId"]]["type"] = params.get("type", requests[params["requestId"]]["type"])
    return [r for r in requests.values() if r["url"].startswith("http")]


def cold_load(site: Path, pages: list[str], width: int = 1366, height: int = 900) -> dict[str, list[dict]]:
    """page -> its requests, each with the file's raw and transferred bytes (0 for a 404)."""
    results = {}
    with _serve(site) as base:
        driver = _chromium(width, height)
        try:
            driver.execute_cdp_cmd("Network.enable", {})
            driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})  # every load is cold
            for page in pages:
                rows = []
                for req in _load(driver, f"{base}/{page}"):
                    split = urlsplit(req["url"])
                    local = split.netloc == urlsplit(base).netloc
                    path = site / unquote(split.path).lstrip("/") if local else None
                    if path is not None and path.is_dir():
                        path = path / "index.html"
                    found = req["status"] == 200 and path is not None and path.is_file()
                    kind = req["type"] if req["type"] in KINDS else ("Fetch" if req["type"] == "XHR" else "Other")
                    rows.append({"url": req["url"], "kind": kind, "status": req["status"], "local": local,
                                 "raw": path.stat().st_size if found else 0,
                                 "transferred": transferred(path) if found else 0})
                results[page] = rows
        finally:
            driver.quit()
    return results


def transfer_table(rows: list[dict]) -> list[tuple[str, int, int, int]]:
    """(resource type, requests, raw bytes, transferred bytes) per type, then the total."""
    table = []
    for kind in KINDS:
        mine = [r for r in rows if r["kind"] == kind]
        if mine:
            table.append((kind, len(mine), sum(r["raw"] for r in mine), sum(r["transferred"] for r in mine)))
    table.append(("Total", len(rows), sum(r["raw"] for r in rows), sum(r["transferred"] for r in rows)))
    return table


def transfer_report(site: Path, pages: list[str] | None = None, width: int = 1366) -> str:
    if pages is None:
        pages = sorted(str(p.relative_to(site)) for lang in LANGS for p in (site / lang / "book" / "countries").glob("*.html")
                       if p.name != "index.html")
    results = cold_load(site, pages, width=width)
    totals = sorted(((sum(r["transferred"] for r in rows), page) for page, rows in results.items()), reverse=True)
    heaviest = totals[0][1]
    rows = results[heaviest]
    kb = lambda n: f"{n / 1000:,.1f}"
    lines = [f"Cold load of {len(pages)} page(s) in Chromium at {width} px, cache disabled; text gzip -{GZIP_LEVEL},"
             f" images and fonts as stored. Heaviest: {heaviest} ({kb(totals[0][0])} kB transferred).", "",
             "| Resource type | Requests | Uncompressed kB | Transferred kB |", "| --- | ---: | ---: | ---: |"]
    lines += [f"| {kind} | {n} | {kb(raw)} | {kb(sent)} |" for kind, n, raw, sent in transfer_table(rows)]
    failed = [f"{r['status']} {r['url']}" for rows_ in results.values() for r in rows_ if r["status"] != 200]
    outside = sorted({r["url"] for rows_ in results.values() for r in rows_ if not r["local"]})
    lines += ["", "Largest resources of the heaviest page (transferred kB):"]
    lines += [f"    {kb(r['transferred']):>8}  {urlsplit(r['url']).path}" for r in sorted(rows, key=lambda r: -r["transferred"])[:12]]
    lines += ["", "Lightest and heaviest pages measured (transferred kB):"]
    lines += [f"    {kb(t):>8}  {page}" for t, page in (totals[:3] + totals[-2:] if len(totals) > 5 else totals)]
    lines.append(f"Requests that failed: {len(failed)}" + "".join(f"\n    {f}" for f in sorted(set(failed))[:10]))
    lines.append(f"Requests outside the site: {len(outside)}" + "".join(f"\n    {u}" for u in outside[:10]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", default="_build/site", type=Path)
    parser.add_argument("--transfer", action="store_true", help="measure bytes transferred for cold loads in Chromium")
    parser.add_argument("--page", action="append", help="page to measure, relative to the site (repeatable)")
    parser.add_argument("--width", type=int, default=1366)
    args = parser.parse_args(argv)
    if args.transfer:
        print(transfer_report(args.site, args.page, width=args.width))
    else:
        print(report(args.site))


if __name__ == "__main__":
    main()
