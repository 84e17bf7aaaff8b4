"""Shared fixtures. The site under test is _build/site, built by ./scripts/test before pytest runs
(or by this file if it is missing)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "site"
ARTIFACTS = ROOT / "_build" / "test-artifacts"
def _languages() -> tuple[str, ...]:
    import yaml

    return tuple(entry["code"] for entry in yaml.safe_load((ROOT / "locales" / "languages.yml").read_text(encoding="utf-8")))


LANGS = _languages()  # every test loops over the site's languages


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").exists():
        subprocess.run([sys.executable, "-m", "tipkb.build.site"], cwd=ROOT, check=True)
    return SITE


@pytest.fixture(scope="session")
def server(site):
    """The built site on a local static server, as a reader would get it."""
    handler = partial(_QuietHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of data/ for tests that break or change it."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def html_pages(site: Path, lang: str) -> list[Path]:
    """The pages of one language (not the theme's template fragments under _static/)."""
    return sorted(p for p in (site / lang).rglob("*.html") if "_static" not in p.relative_to(site).parts)


def chromium_options(lang: str = "en", width: int = 1280, height: int = 900, javascript: bool = True,
                     performance_log: bool = False):
    from selenium.webdriver.chrome.options import Options

    opts = Options()
    opts.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", f"--window-size={width},{height}", f"--lang={lang}"):
        opts.add_argument(arg)
    if width < 500:  # desktop Chromium windows are at least 500 px wide: emulate a phone instead
        opts.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2}})
    prefs = {"intl.accept_languages": lang}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    opts.add_experimental_option("prefs", prefs)
    if performance_log:
        opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return opts


@pytest.fixture
def browser_factory():
    """Start headless Chromium (Debian's chromium + chromium-driver) with a language preference."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    driver_path = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
    if not Path(driver_path).exists():
        pytest.fail("chromedriver not found: install Debian's chromium and chromium-driver (.ci/run does)")
    started = []

    def start(**kwargs):
        driver = webdriver.Chrome(service=Service(driver_path), options=chromium_options(**kwargs))
        started.append(driver)
        return driver

    yield start
    for driver in started:
        driver.quit()


RESULT_LINKS = "return [...document.querySelectorAll('.pagefind-ui__result-link')].map(a => a.href)"


def search_results(driver, expected: str | None = None, timeout: float = 15) -> list[str]:
    """Addresses of Pagefind's results once a page ending in ``expected`` is among them (or, without
    ``expected``, once any result shows). Pagefind renders results in batches, so the first batch
    may not hold the page yet; on timeout the results shown so far are returned."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    def ready(d):
        hrefs = d.execute_script(RESULT_LINKS)
        hit = hrefs and (expected is None or any(h.split("#")[0].endswith(expected) for h in hrefs))
        return hrefs if hit else False

    try:
        return WebDriverWait(driver, timeout).until(ready)
    except TimeoutException:
        return driver.execute_script(RESULT_LINKS)


def screenshot(driver, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


@pytest.fixture(scope="session")
def small_book(tmp_path_factory):
    """The small copy, built once; tests clone it (with its caches) before changing anything."""
    from bookcopy import build, make_small_copy

    root = make_small_copy(tmp_path_factory.mktemp("small") / "book")
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture
def small_clone(small_book, tmp_path):
    from bookcopy import clone_built

    return clone_built(small_book, tmp_path / "clone")
