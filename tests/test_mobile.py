"""The site on a phone (390 px, touch), a tablet (820 px) and a laptop (1366 px): the navigation
opens and closes by tap and by keyboard, focus stays in the open menu and comes back to its button,
no page scrolls sideways or hides content past the edge, no console errors, tile-map targets a
finger can hit, and a language switch that keeps the reader's place. Screenshots go to
_build/test-artifacts/mobile-*.png (issue 13)."""
from __future__ import annotations

import posixpath
import re
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import LANGS, html_pages, screenshot

WIDTHS = {390: 844, 820: 1180, 1366: 900}  # width -> height; 390 is a phone with touch
NARROW = 992  # below this the theme shows the sidebars as dialogs
PAGES = {  # name -> page, relative to the language folder
    "home": "book/index.html",
    "country": "book/countries/arg.html",
    "theme": "book/themes/protection.html",
    "practices": "book/practices/index.html",
    "search": "search.html?q=trata",
}
PRIMARY = ".bd-header-article .primary-toggle"
SECONDARY = ".bd-header-article .secondary-toggle"

# Elements that reach past the right edge of the window without being inside a box that scrolls
# sideways: content a reader cannot see or reach at this width (the theme clips the page, so
# scrollWidth alone does not show them).
CLIPPED_JS = """
const edge = document.scrollingElement.clientWidth + 1;
const scrolls = el => {
  for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX;
    if ((o === 'auto' || o === 'scroll') && p.getBoundingClientRect().right <= edge) return true;
  }
  return false;
};
const out = [];
for (const el of document.querySelectorAll('body *')) {
  if (el.closest('dialog, script, style, .onlyprint, .tooltip')) continue;
  const r = el.getBoundingClientRect();
  if (!r.width || !r.height || r.right <= edge) continue;
  const st = getComputedStyle(el);
  if (st.visibility === 'hidden' || st.position === 'fixed') continue;
  if (!scrolls(el)) out.push(el.tagName.toLowerCase() + '.' + String(el.getAttribute('class') || '').split(' ')[0]
                             + ' right=' + Math.round(r.right));
}
return out;
"""


@pytest.fixture(scope="module")
def drivers(server):
    """One Chromium per (width, language), started on first use and shared by the module's tests;
    the site's local storage (colour mode, language choice) is cleared for each test."""
    import os

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from conftest import chromium_options

    started = {}

    def get(width: int, lang: str):
        if (width, lang) not in started:
            opts = chromium_options(lang=lang, width=width, height=WIDTHS[width])
            opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
            service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
            started[(width, lang)] = webdriver.Chrome(service=service, options=opts)
        driver = started[(width, lang)]
        driver.execute_cdp_cmd("Storage.clearDataForOrigin", {"origin": server, "storageTypes": "local_storage"})
        return driver

    yield get
    for driver in started.values():
        driver.quit()


def load(driver, url: str):
    driver.get_log("browser")  # drop messages of earlier pages
    if driver.current_url.split("#")[0] == url.split("#")[0]:
        driver.get("about:blank")  # a change of anchor alone would not load the page again
    driver.get(url)
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    time.sleep(0.3)  # deferred theme scripts


def tap(driver, element, width: int):
    """A finger's tap on a phone (touch events, as a touch screen sends them); a click otherwise."""
    if width >= 500:
        element.click()
        return
    box = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]", element)
    point = {"x": box[0], "y": box[1]}
    driver.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [point]})
    driver.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def press(driver, key):
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(key).perform()


def visible(driver, selector) -> bool:
    return driver.execute_script(
        "const e = document.querySelector(arguments[0]); if (!e) return false;"
        "const r = e.getBoundingClientRect(); const s = getComputedStyle(e);"
        "return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && r.right > 0;", selector)


def dialog_open(driver, name="primary") -> bool:
    return driver.execute_script(f"return !!document.getElementById('pst-{name}-sidebar-modal')?.open")


def focus_in(driver, selector) -> bool:
    return driver.execute_script("return !!document.activeElement.closest(arguments[0])", selector)


def severe(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def wait_url(driver, fragment, timeout=10):
    WebDriverWait(driver, timeout).until(lambda d: fragment in d.current_url)


# --- Navigation -----------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_menu_opens_and_a_link_in_it_navigates(server, drivers, width, name):
    lang = "es" if width == 390 else "en"
    driver = drivers(width, lang)
    load(driver, f"{server}/{lang}/{PAGES[name]}")
    toggle = driver.find_element(By.CSS_SELECTOR, PRIMARY)
    assert visible(driver, PRIMARY), "the menu button is not on screen"
    if width < NARROW:
        assert not visible(driver, "#pst-primary-sidebar .bd-docs-nav"), "the sidebar should start closed"
        tap(driver, toggle, width)
        WebDriverWait(driver, 3).until(lambda d: dialog_open(d), "the menu did not open")
        assert visible(driver, "#pst-primary-sidebar-modal .bd-docs-nav")
        menu = "#pst-primary-sidebar-modal"
    else:
        assert visible(driver, "#pst-primary-sidebar .bd-docs-nav")
        tap(driver, toggle, width)  # closes the sidebar on wide screens ...
        WebDriverWait(driver, 3).until(lambda d: not visible(d, "#pst-primary-sidebar .bd-docs-nav"), "the sidebar did not close")
        tap(driver, toggle, width)  # ... and opens it again
        WebDriverWait(driver, 3).until(lambda d: visible(d, "#pst-primary-sidebar .bd-docs-nav"), "the sidebar did not open")
        menu = "#pst-primary-sidebar"
    screenshot(driver, f"mobile-menu-{name}-{lang}-{width}")
    link = next(a for a in driver.find_elements(By.CSS_SELECTOR, f"{menu} .bd-docs-nav a")
                if (a.get_attribute("href") or "").endswith("/countries/jam.html"))
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    tap(driver, link, width)
    wait_url(driver, f"/{lang}/book/countries/jam.html")


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_menu_works_with_the_keyboard_and_gives_focus_back(server, drivers, width):
    driver = drivers(width, "en")
    load(driver, f"{server}/en/book/themes/protection.html")
    driver.execute_script("document.querySelector(arguments[0]).focus()", PRIMARY)
    press(driver, Keys.ENTER)
    if width < NARROW:
        WebDriverWait(driver, 3).until(lambda d: dialog_open(d), "Enter did not open the menu")
        assert focus_in(driver, "#pst-primary-sidebar-modal"), "focus did not move into the menu"
        for _ in range(12):  # Tab moves within the open menu only
            press(driver, Keys.TAB)
            assert focus_in(driver, "#pst-primary-sidebar-modal"), "focus left the open menu"
        press(driver, Keys.ESCAPE)
        WebDriverWait(driver, 3).until(lambda d: not dialog_open(d), "Escape did not close the menu")
    else:
        WebDriverWait(driver, 3).until(lambda d: not visible(d, "#pst-primary-sidebar .bd-docs-nav"), "Enter did not close the sidebar")
        press(driver, Keys.ENTER)
        WebDriverWait(driver, 3).until(lambda d: visible(d, "#pst-primary-sidebar .bd-docs-nav"), "Enter did not reopen the sidebar")
    time.sleep(0.2)
    assert focus_in(driver, PRIMARY), "focus did not come back to the menu button"


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 820])
def test_page_contents_open_and_close(server, drivers, width):
    driver = drivers(width, "es")
    load(driver, f"{server}/es/book/countries/arg.html")
    toggle = driver.find_element(By.CSS_SELECTOR, SECONDARY)
    tap(driver, toggle, width)
    WebDriverWait(driver, 3).until(lambda d: dialog_open(d, "secondary"), "the contents did not open")
    screenshot(driver, f"mobile-contents-es-{width}")
    entry = driver.find_element(By.CSS_SELECTOR, '#pst-secondary-sidebar-modal a[href="#arg-forms"]')
    tap(driver, entry, width)
    WebDriverWait(driver, 3).until(lambda d: d.current_url.endswith("#arg-forms"))
    # and by keyboard: Enter opens, Escape closes, focus returns to the button
    if dialog_open(driver, "secondary"):
        press(driver, Keys.ESCAPE)
    driver.execute_script("document.querySelector(arguments[0]).focus()", SECONDARY)
    press(driver, Keys.ENTER)
    WebDriverWait(driver, 3).until(lambda d: dialog_open(d, "secondary"))
    press(driver, Keys.ESCAPE)
    WebDriverWait(driver, 3).until(lambda d: not dialog_open(d, "secondary"))
    time.sleep(0.2)
    assert focus_in(driver, SECONDARY)


@pytest.mark.browser
def test_no_tooltip_stays_over_the_language_button_after_a_tap(server, drivers):
    driver = drivers(390, "es")
    load(driver, f"{server}/es/book/countries/arg.html")
    for selector in (PRIMARY, ".bd-header-article .theme-switch-button", SECONDARY):
        tap(driver, driver.find_element(By.CSS_SELECTOR, selector), 390)
        time.sleep(1.0)  # Bootstrap shows a tooltip some time after the tap
        if dialog_open(driver) or dialog_open(driver, "secondary"):
            press(driver, Keys.ESCAPE)
            time.sleep(0.4)
        shown = driver.execute_script(
            "return [...document.querySelectorAll('.tooltip')].filter(t => t.getBoundingClientRect().width > 0"
            " && getComputedStyle(t).display !== 'none' && getComputedStyle(t).opacity !== '0').map(t => t.textContent)")
        assert not shown, f"tooltip left on screen after tapping {selector}: {shown}"
    screenshot(driver, "mobile-after-taps-es-390")


# --- Layout at every width ------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_no_sideways_scrolling_no_clipped_content_no_console_error(server, drivers, width, name, lang):
    driver = drivers(width, lang)
    load(driver, f"{server}/{lang}/{PAGES[name]}")
    if name == "search":
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".pagefind-ui__result-link"))
    screenshot(driver, f"mobile-{name}-{lang}-{width}")
    scroll, client = driver.execute_script("return [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
    assert scroll <= client, f"the page scrolls sideways: {scroll} > {client} px"
    clipped = driver.execute_script(CLIPPED_JS)
    assert not clipped, f"content past the right edge, out of reach: {clipped[:5]}"
    errors = severe(driver)
    assert not errors, errors


@pytest.mark.browser
def test_every_page_fits_a_phone(site, server, drivers):
    """Every page of every language at 390 px: no sideways scrolling, nothing clipped."""
    problems = []
    for lang in LANGS:
        driver = drivers(390, lang)
        for page in html_pages(site, lang):
            load(driver, f"{server}/{page.relative_to(site).as_posix()}")
            scroll, client = driver.execute_script("return [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
            clipped = driver.execute_script(CLIPPED_JS)
            if scroll > client or clipped:
                problems.append(f"{page.relative_to(site)}: scrollWidth {scroll} > {client}" if scroll > client
                                else f"{page.relative_to(site)}: {clipped[:3]}")
    assert not problems, "\n".join(problems)


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", ["book/countries/index.html", "book/index.html"])
def test_tile_map_tiles_are_named_and_big_enough_to_tap(server, drivers, width, page):
    driver = drivers(width, "es")
    load(driver, f"{server}/es/{page}")
    tiles = driver.execute_script(
        "return [...document.querySelectorAll('a.kb-tile')].map(a => { const r = a.getBoundingClientRect();"
        " const n = a.querySelector('.kb-tile-name'); return [a.getAttribute('href'), r.width, r.height,"
        " n && getComputedStyle(n).display !== 'none' ? n.textContent.trim() : (a.getAttribute('aria-label') || '')]; })")
    if not tiles:
        pytest.skip(f"no tile map on {page}")
    assert len(tiles) == 35
    small = [(href, round(w), round(h)) for href, w, h, _ in tiles if w < 44 or h < 44]
    assert not small, f"tile targets under 44 x 44 px at {width} px: {small[:5]}"
    unnamed = [href for href, _, _, name in tiles if not name]
    assert not unnamed, f"tiles without a name: {unnamed[:5]}"
    driver.execute_script("document.querySelector('.kb-tilemap').scrollIntoView()")
    screenshot(driver, f"mobile-tilemap-{page.split('/')[-2]}-es-{width}")


# --- The language switch keeps the reader's place -------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1366])
def test_language_switch_keeps_the_section(server, drivers, width):
    driver = drivers(width, "es")
    load(driver, f"{server}/es/book/countries/arg.html#prosecutions-and-convictions")
    tap(driver, driver.find_element(By.CSS_SELECTOR, "a.kb-lang-switch"), width)
    wait_url(driver, "/en/book/countries/arg.html#prosecutions-and-convictions")
    # A reader who scrolled (no anchor in the address) lands on the section she was reading.
    load(driver, f"{server}/en/book/countries/arg.html")
    driver.execute_script("document.getElementById('arg-forms').scrollIntoView()")
    time.sleep(0.3)
    tap(driver, driver.find_element(By.CSS_SELECTOR, "a.kb-lang-switch"), width)
    wait_url(driver, "/es/book/countries/arg.html#arg-forms")
    top = driver.execute_script("return document.getElementById('arg-forms').getBoundingClientRect().top")
    assert 0 <= top < WIDTHS[width] / 3, top


@pytest.mark.browser
def test_language_switch_keeps_the_search_query(server, drivers):
    from conftest import search_results

    driver = drivers(390, "es")
    load(driver, f"{server}/es/search.html?q=trata")
    field = WebDriverWait(driver, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, ".pagefind-ui__search-input"))
    field.clear()
    field.send_keys("Haití")
    search_results(driver, "/es/book/countries/hti.html")
    tap(driver, driver.find_element(By.CSS_SELECTOR, "a.kb-lang-switch"), 390)
    wait_url(driver, "/en/search.html?q=Hait")
    hrefs = search_results(driver, "/en/book/countries/hti.html")
    assert any(h.split("#")[0].endswith("/en/book/countries/hti.html") for h in hrefs), hrefs
    assert driver.find_element(By.CSS_SELECTOR, ".pagefind-ui__search-input").get_attribute("value") == "Haití"


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_on_a_phone_the_results_come_right_below_the_field_and_the_filters_open_from_a_button(server, drivers, lang):
    """Pagefind puts its five filter groups between the field and the results; on a phone they
    pushed the first result to the bottom of the screen. There they open from one button; on a
    desktop they stay beside the results."""
    panel_shown = ("const p = document.querySelector('.pagefind-ui__filter-panel');"
                   "return !!p && getComputedStyle(p).display !== 'none';")
    driver = drivers(390, lang)
    load(driver, f"{server}/{lang}/search.html?q=Guatemala")
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".pagefind-ui__result-link"))
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".pagefind-ui__filter-panel"))
    first = driver.execute_script("return document.querySelector('.pagefind-ui__result-link').getBoundingClientRect().bottom")
    assert first < WIDTHS[390] / 2, f"the first result ends {first} px down a {WIDTHS[390]} px screen"
    assert not driver.execute_script(panel_shown)
    toggle = driver.find_element(By.CSS_SELECTOR, "button.kb-filter-toggle")
    assert toggle.is_displayed() and toggle.get_attribute("aria-expanded") == "false"
    before = toggle.find_element(By.CSS_SELECTOR, "span:not([aria-hidden])").text.strip()
    assert before and "(" not in before
    tap(driver, toggle, 390)
    assert driver.execute_script(panel_shown) and toggle.get_attribute("aria-expanded") == "true"
    screenshot(driver, f"mobile-search-filters-{lang}-390")
    tap(driver, driver.find_element(By.CSS_SELECTOR, ".pagefind-ui__filter-panel summary"), 390)
    box = driver.find_element(By.CSS_SELECTOR, ".pagefind-ui__filter-panel input[type=checkbox]")
    driver.execute_script("arguments[0].click()", box)  # choose a filter
    WebDriverWait(driver, 5).until(lambda d: toggle.text.strip().startswith(f"{before} (1)"))
    tap(driver, toggle, 390)
    assert not driver.execute_script(panel_shown)
    assert f"{before} (1)" in toggle.text  # a hidden filter still says it narrows the results

    desktop = drivers(1366, lang)
    load(desktop, f"{server}/{lang}/search.html?q=Guatemala")
    WebDriverWait(desktop, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".pagefind-ui__filter-panel"))
    assert desktop.execute_script(panel_shown)
    assert not desktop.find_element(By.CSS_SELECTOR, "button.kb-filter-toggle").is_displayed()


def test_language_switch_is_a_plain_link_without_javascript(site):
    html = (site / "es" / "book" / "countries" / "arg.html").read_text(encoding="utf-8")
    switch = re.search(r'<a class="btn btn-sm kb-lang-switch" href="([^"]+)"', html)
    assert switch and switch.group(1) == "../../../en/book/countries/arg.html"


# --- The sidebar: no repeated level, every page one tap away once it is open ----------------------

SIDEBAR = re.compile(r'<div id="pst-primary-sidebar"[^>]*>(.*?)<main ', re.S)  # the site title and the book's navigation


def _sidebar(page: Path) -> str:
    return SIDEBAR.search(page.read_text(encoding="utf-8")).group(1)


@pytest.mark.parametrize("lang", LANGS)
def test_sidebar_has_no_repeated_level_and_lists_every_page(site, lang):
    from tipkb.build.execute import toc_docnames

    for page in ("book/countries/arg.html", "book/about.html", "book/practices/index.html"):
        nav = _sidebar(site / lang / page)
        captions = re.findall(r'<p aria-level="2" class="caption[^"]*" role="heading">(.*?)</p>', nav, re.S)
        texts = [re.sub(r"<[^>]+>", "", c).strip() for c in captions]
        first_entries = re.findall(r'</p>\s*<ul class="[^"]*">\s*<li class="toctree-l1[^"]*"><a [^>]*>([^<]*)</a>', nav)
        assert not set(texts) & set(first_entries), f"{page}: a caption repeated as its first entry: {texts} / {first_entries}"
        assert "<details" not in nav, f"{page}: part of the sidebar is folded away"
        assert "toctree-l2" not in nav, f"{page}: pages one level down"
        folder = posixpath.dirname(page)
        linked = {posixpath.normpath(posixpath.join(folder, href)) for href in re.findall(r'href="([^"#]+)"', nav)}
        missing = [d for d in toc_docnames() if f"{d}.html" not in linked | {page}]
        assert not missing, f"{page}: pages not in the sidebar: {missing}"
        titles = re.findall(r'<p class="title logo__title">(.*?)</p>', nav) + re.findall(r'<a class="reference internal" href="[^"]*">(.*?)</a>', nav)
        assert len(titles) == len(set(titles)), f"{page}: an entry appears twice: {sorted(t for t in titles if titles.count(t) > 1)}"


def test_sidebar_has_the_same_structure_in_every_language(site):
    """The same entries and levels in every language; the states are listed in each language's
    alphabetical order (Estados Unidos under E), so only their order may differ."""
    def shape(lang):
        nav = _sidebar(site / lang / "book" / "countries" / "arg.html")
        levels = re.findall(r'class="(caption[^"]*|toctree-l1[^"]*)"', nav)
        return levels, sorted(re.findall(r'href="([^"]+)"', nav))

    shapes = [shape(lang) for lang in LANGS]
    assert all(s == shapes[0] for s in shapes), "the sidebar differs between languages"


# --- A lighter page -------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_pages_load_only_what_they_use(site, lang):
    for page in html_pages(site, lang):
        html = page.read_text(encoding="utf-8")
        name = page.relative_to(site)
        if html.startswith('<meta http-equiv="Refresh"'):
            continue  # Jupyter Book's one-line redirect from <lang>/index.html to the root page
        for unused in ("fontawesome.js", "searchindex.js", "searchtools.js", "language_data.js", "THEBE_JS_URL", "sphinx-thebe"):
            assert unused not in html, f"{name} loads {unused}"
        assert re.search(r'<link rel="icon" href="[^"]*_static/favicon\.svg"', html), f"{name}: no icon"
        for script in ("kb-matrix.js", "kb-compare.js", "kb-search.js"):
            loads = len(re.findall(rf'<script[^>]*src="[^"]*{re.escape(script)}', html))
            assert loads <= 1, f"{name} loads {script} {loads} times"
        if "kb-compare-form" not in html:
            assert "kb-compare.js" not in html, f"{name} loads kb-compare.js without the comparison"
        if 'id="kb-matrix"' not in html:
            assert "kb-matrix.js" not in html, f"{name} loads kb-matrix.js without the matrix"
    static = site / lang / "_static"
    assert (static / "favicon.svg").stat().st_size < 2_000
    font = static / "kb-icons.woff"
    assert font.exists() and font.stat().st_size < 20_000, "the cut-down icon font is missing or not cut down"


def test_root_pages_name_an_icon(site):
    for page in ("index.html", "404.html"):
        assert '<link rel="icon" href="data:image/svg+xml,' in (site / page).read_text(encoding="utf-8")
