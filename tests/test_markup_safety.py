"""Untrusted text at the sinks: interface text from the codebook, addresses and text in table
cells, the 404 page's links. Each case is rendered the way readers get it (MyST's Markdown parser,
or the built site in headless Chromium)."""
from __future__ import annotations

import csv
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tipkb import myst

HOSTILE = "<img src=x onerror=alert(1)>"


def render(markdown: str) -> str:
    """HTML of MyST Markdown, as the book's pages parse it (tables, raw HTML, roles)."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(), RendererHTML).render(markdown)


def table_rows(html: str) -> list[list[str]]:
    from html.parser import HTMLParser

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self.cell = [], None

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.cell = []
            elif tag == "a" and self.cell is not None:
                self.cell.append(f"[href={dict(attrs).get('href')}]")

        def handle_endtag(self, tag):
            if tag in ("td", "th"):
                self.rows[-1].append("".join(self.cell))
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

    parser = Cells()
    parser.feed(html)
    return parser.rows


def test_a_pipe_in_an_address_or_a_text_stays_in_its_cell():
    """Issue 14, defect 10: a "|" in a source URL or in a name must not start a new cell."""
    rows = [[myst.link("UN | UNODC", "https://example.org/report?part=a|b"), myst.text("Trinidad | Tobago"),
             myst.link("file", "/data/a|b.csv")]]
    parsed = table_rows(render(myst.table(["Source", "Country", "Download"], rows)))
    assert [len(r) for r in parsed] == [3, 3], parsed
    source, country, download = parsed[1]
    assert "UN | UNODC" in source and "part=a%7Cb" in source
    assert country == "Trinidad | Tobago"
    assert "a%7Cb.csv" in download


def test_interface_text_in_a_table_header_is_text():
    """Issue 14, defect 3: a codebook label used as a column header cannot add markup."""
    html = render(myst.table([HOSTILE, "{download}`x`", "[a](https://evil.example)"], [["1", "2", "3"]]))
    assert "<img" not in html and "evil.example\"" not in html
    assert table_rows(html)[0] == [HOSTILE, "{download}`x`", "[a](https://evil.example)"]


def test_a_sentence_with_placeholders_is_escaped_but_its_values_are_kept():
    sentence = myst.fill("Source: {source} " + HOSTILE + " {when}.", source=myst.link("UNODC", "https://unodc.org"),
                         when=myst.text("2020"))
    html = render(sentence)
    assert "<img" not in html and HOSTILE.replace("<", "&lt;").replace(">", "&gt;") in html
    assert '<a class="reference external" href="https://unodc.org">UNODC</a>' in html


# In a browser ----------------------------------------------------------------------------------

PROBE = """---
file_format: mystnb
kernelspec:
  name: python3
  display_name: Python 3
---

# Probe

```{code-cell} ipython3
import tipkb.book as kb
kb.data_files()
```
"""

INJECTED = {
    ("ui", "col_table"): "Table " + HOSTILE,
    ("ui", "practice_source"): "Source: {source} — {who}, {when}. " + HOSTILE + " Checked in the source on {checked}.",
    ("ui", "cite_text"): "{title}. " + HOSTILE + " In: {site}, {year}. {url} (accessed {date}). Licence: CC BY 4.0.",
    ("ui", "cite_title"): "How to cite " + HOSTILE,
}

# Validation refuses such labels (tests/test_data_validation.py); this build skips it, to show that
# the pages escape them even if one got through.
UNVALIDATED_BUILD = ("import sys, tipkb.validate as v; v.validate = lambda *a, **k: []; "
                     "from tipkb.build import site; sys.exit(site.main([]))")


def inject_labels(data_dir: Path) -> None:
    path = data_dir / "codebook.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        value = INJECTED.get((row["domain"], row["code"]))
        if value:
            row["label_en"] = value
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def served(request):
    servers = []

    def serve(site: Path, not_found_page: bool = False) -> str:
        class Handler(SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def send_error(self, code, message=None, explain=None):
                if code != 404 or not not_found_page:
                    return super().send_error(code, message, explain)
                body = (site / "404.html").read_bytes()  # as GitHub Pages and most hosts do
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(site)))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}"

    yield serve
    for httpd in servers:
        httpd.shutdown()


def no_alert(driver, seconds: float = 2.0) -> bool:
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        WebDriverWait(driver, seconds).until(expected_conditions.alert_is_present())
    except TimeoutException:
        return True
    driver.switch_to.alert.accept()
    return False


@pytest.mark.slow
@pytest.mark.browser
def test_injected_interface_text_runs_nowhere(small_clone, browser_factory, served):
    """Issue 14, defect 3: a codebook label carrying an <img onerror> is shown as text in table
    headers, the practice-source sentence and the "how to cite" block; nothing runs."""
    from selenium.webdriver.common.by import By

    from bookcopy import copy_env

    (small_clone / "book" / "probe.md").write_text(PROBE, encoding="utf-8")
    toc = small_clone / "_toc.yml"
    toc.write_text(toc.read_text(encoding="utf-8") + "  - file: book/probe\n", encoding="utf-8")
    inject_labels(small_clone / "data")
    result = subprocess.run([sys.executable, "-c", UNVALIDATED_BUILD], cwd=small_clone, env=copy_env(small_clone),
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    base = served(small_clone / "_build" / "site")
    driver = browser_factory(lang="en")
    for page, shown in (("book/probe.html", ["Table " + HOSTILE, "How to cite " + HOSTILE]),
                        ("book/countries/arg.html", [HOSTILE + " Checked in the source on", "How to cite " + HOSTILE])):
        driver.get(f"{base}/en/{page}")
        assert no_alert(driver), f"an alert ran on {page}"
        assert driver.find_elements(By.CSS_SELECTOR, 'img[src="x"]') == [], page
        text = driver.find_element(By.TAG_NAME, "body").text
        for words in shown:
            assert words in text, (page, words)
        assert HOSTILE in driver.find_element(By.CSS_SELECTOR, ".kb-cite-text").text


@pytest.mark.slow
@pytest.mark.browser
def test_the_404_page_links_home_on_this_site_only(small_book, browser_factory, served):
    """Issue 14, defect 10: the 404 page's home links follow the address only as far as the site:
    //evil.example/en/x must not send readers to evil.example."""
    base = served(small_book / "_build" / "site", not_found_page=True)
    driver = browser_factory(lang="en")
    hrefs = "return [...document.querySelectorAll('a.home')].map(a => a.href)"
    driver.get(base + "//evil.example/en/x")
    links = driver.execute_script(hrefs)
    assert links and all(link.startswith(base + "/") for link in links), links
    driver.get(base + "/es/no-such-page.html")
    assert sorted(driver.execute_script(hrefs)) == [f"{base}/en/book/index.html", f"{base}/es/book/index.html"]
