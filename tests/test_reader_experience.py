"""What readers get beyond the pages themselves: accessibility, privacy (no outside requests),
keyboard use, hosting anywhere, downloads, citation, site basics (404, sitemap, metadata, print)."""
from __future__ import annotations

import csv
import io
import json
import re
import threading
import zipfile
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ROOT, search_results
from sitecheck import parse, resolve

SAMPLE = ["book/index.html", "book/countries/jam.html", "book/themes/protection.html", "search.html", "book/data.html"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("page", SAMPLE)
def test_no_serious_accessibility_violations(server, browser_factory, lang, page):
    assert AXE.exists(), "axe-core missing: run npm ci (scripts/test does)"
    driver = browser_factory(lang=lang)
    driver.get(f"{server}/{lang}/{page}" + ("?q=trata" if page == "search.html" else ""))
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations)).catch(e => done(String(e)));")
    assert isinstance(result, list), result
    serious = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
               for v in result if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(serious)


def _requests(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


@pytest.mark.browser
@pytest.mark.parametrize("page", ["es/book/countries/arg.html", "en/book/index.html", "es/search.html?q=haiti",
                                  "en/book/themes/legal-framework.html"])
def test_pages_make_no_request_outside_the_site(server, browser_factory, page):
    driver = browser_factory(lang="es", performance_log=True)
    driver.get(f"{server}/{page}")
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    driver.implicitly_wait(1)
    host = urlsplit(server).netloc
    outside = [u for u in _requests(driver) if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != host]
    assert not outside, outside


@pytest.mark.browser
def test_search_works_with_the_keyboard_alone(server, browser_factory):
    driver = browser_factory(lang="es")
    driver.get(f"{server}/es/book/about.html")
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.CONTROL, "k")
    field = WebDriverWait(driver, 5).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "input[name=q]")))
    assert driver.switch_to.active_element == field
    field.send_keys("Haití", Keys.ENTER)
    hrefs = search_results(driver, "/es/book/countries/hti.html")
    assert any(h.split("#")[0].endswith("/es/book/countries/hti.html") for h in hrefs), hrefs


@pytest.fixture(scope="module")
def subpath_server(site):
    """The site served under /kb/ (as on a GitHub Pages project site): nothing may assume the root."""
    root = site.parent / "subpath-root"
    if not (root / "kb").exists():
        root.mkdir(exist_ok=True)
        (root / "kb").symlink_to(site, target_is_directory=True)
    handler = partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a: None
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/kb"
    httpd.shutdown()


@pytest.mark.browser
def test_site_works_under_a_sub_path(subpath_server, browser_factory):
    driver = browser_factory(lang="es")
    driver.get(subpath_server + "/")
    WebDriverWait(driver, 10).until(lambda d: "/kb/es/book/index.html" in d.current_url)
    driver.get(subpath_server + "/es/search.html?q=Haiti")
    hrefs = search_results(driver)
    assert hrefs and all("/kb/es/" in h for h in hrefs), hrefs
    driver.get(subpath_server + "/es/no-such-page.html")  # python's server does not serve 404.html: open it directly
    driver.get(subpath_server + "/404.html")
    WebDriverWait(driver, 10).until(lambda d: "Page not found" in d.page_source)


@pytest.mark.browser
def test_pages_open_from_files_without_a_server(site, browser_factory):
    """Unzipped on a laptop, the pages, styles and charts still load (search needs a server)."""
    driver = browser_factory(lang="es")
    driver.get((site / "es" / "book" / "countries" / "col.html").as_uri())
    # ChromeDriver may return before the images have loaded: wait for the page's load event.
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")
    images = driver.find_elements(By.CSS_SELECTOR, "figure img")
    assert images and all(driver.execute_script("return arguments[0].naturalWidth", img) > 0 for img in images)
    styled = driver.execute_script("return getComputedStyle(document.querySelector('.kb-lang-switch')).borderStyle")
    assert styled == "solid"


def test_no_page_uses_a_root_absolute_address(site):
    """Root-absolute links (/...) break under a sub-path or from files."""
    bad = []
    for lang in ("en", "es"):
        for page in (site / lang).rglob("*.html"):
            if "_static" in page.parts:
                continue
            for _tag, url in parse(page).links:
                if url.startswith("/") and not url.startswith("//"):
                    bad.append(f"{page.relative_to(site)}: {url}")
    assert not bad, bad[:20]


def test_data_package_zip_has_every_table_schema_sources_and_licences(site):
    archive = site / "downloads" / "tip-americas-kb-data.zip"
    names = set(zipfile.ZipFile(archive).namelist())
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    expected = {f"tip-americas-kb-data/{r['path']}" for r in package["resources"]}
    expected |= {"tip-americas-kb-data/datapackage.json", "tip-americas-kb-data/LICENSES.md"}
    assert expected <= names, expected - names
    for lang in ("en", "es"):
        page = site / lang / "book" / "data.html"
        targets = [resolve(page, u)[0] for t, u in parse(page).links if t == "a" and u.endswith(".zip")]
        assert targets == [archive.resolve()]


def test_country_download_opens_right_in_a_spreadsheet(site):
    """Issue 19: the per-country download is UTF-8 with a byte-order mark (Excel reads accents
    right), counts are numbers with a separate "suppressed" column (never "<5" in a number
    column), headers and labels are in the page's language, and an XLSX of the same tables
    includes the practices and the measures."""
    import openpyxl

    glotip = [r for r in csv.DictReader(open(ROOT / "data" / "glotip.csv", newline="", encoding="utf-8")) if r["iso3"] == "JAM"]
    for lang, (table_col, value_col, flag_col, yes) in {"en": ("Table", "Value", "Suppressed (<5)", "Yes"),
                                                        "es": ("Tabla", "Valor", "Suprimido (<5)", "Sí")}.items():
        page = site / lang / "book" / "countries" / "jam.html"
        links = {u.rsplit(".", 1)[1]: resolve(page, u)[0] for t, u in parse(page).links
                 if t == "a" and re.search(r"jam-(?:all-data|todos-los-datos)\.(?:csv|xlsx)$", u)}
        raw = links["csv"].read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        mine = [r for r in rows if r[flag_col] in (yes, "No")]
        assert len(mine) == len(glotip)
        assert sorted(r[value_col] for r in mine if r[flag_col] == yes) == [""] * sum(g["value"] == "<5" for g in glotip)
        assert sorted(int(r[value_col]) for r in mine if r[flag_col] != yes) == sorted(int(g["value"]) for g in glotip
                                                                                        if g["value"] != "<5")
        assert not any(r[value_col] == "<5" for r in rows)
        book = openpyxl.load_workbook(links["xlsx"], read_only=True)
        sheets = " ".join(book.sheetnames)
        assert len(book.sheetnames) >= 8 and table_col  # every dataset of the page, practices and measures included
        for key in ("practices", "measures"):
            name = next(r for r in csv.DictReader(open(ROOT / "data" / "codebook.csv", newline="", encoding="utf-8"))
                        if r["domain"] == "table" and r["code"] == key)[f"label_{lang}"]
            assert name[:31].replace(":", "") in sheets, (lang, key, sheets)


def test_citation_block_and_metadata_in_the_pages_language(site):
    for lang, word in (("en", "How to cite this page"), ("es", "Cómo citar esta página")):
        html = (site / lang / "book" / "countries" / "arg.html").read_text(encoding="utf-8")
        assert word in html
        assert 'property="og:title"' in html and 'name="description"' in html
    es = (site / "es" / "book" / "about.html").read_text(encoding="utf-8")
    description = es.split('name="description" content="', 1)[1].split('"', 1)[0]
    assert "base de conocimientos" in description


def test_sitemap_and_404(site):
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for lang in ("en", "es"):
        assert f"{lang}/book/countries/arg.html" in sitemap
    assert 'hreflang="es"' in sitemap
    page = (site / "404.html").read_text(encoding="utf-8")
    assert "Page not found" in page and "Página no encontrada" in page


def test_citation_file_for_the_project():
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert "cff-version" in text and "title:" in text and "license:" in text


@pytest.mark.browser
def test_country_profile_prints_without_navigation(server, browser_factory):
    driver = browser_factory(lang="es")
    driver.get(f"{server}/es/book/countries/arg.html")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    hidden = driver.execute_script(
        "return ['.bd-sidebar-primary', '.bd-header', '.kb-lang-switch']"
        ".map(s => document.querySelector(s)).filter(Boolean).map(e => getComputedStyle(e).display)")
    assert hidden and all(d == "none" for d in hidden)
    pdf = driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": False})
    assert len(pdf["data"]) > 10_000
    (ROOT / "_build" / "test-artifacts").mkdir(parents=True, exist_ok=True)
    import base64
    (ROOT / "_build" / "test-artifacts" / "arg-es-print.pdf").write_bytes(base64.b64decode(pdf["data"]))
