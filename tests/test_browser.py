"""The site in headless Chromium, as a reader meets it: landing on a language, switching language
on a nested page, searching in each language with and without accents. Screenshots go to
_build/test-artifacts/."""
from __future__ import annotations

import time
from urllib.parse import quote

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import screenshot, search_results

pytestmark = pytest.mark.browser


def wait_url(driver, fragment, timeout=10):
    WebDriverWait(driver, timeout).until(lambda d: fragment in d.current_url)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_root_sends_reader_to_preferred_language(server, browser_factory, lang):
    driver = browser_factory(lang=lang)
    driver.get(server + "/")
    wait_url(driver, f"/{lang}/book/index.html")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
    screenshot(driver, f"home-{lang}")


def test_root_offers_plain_links_without_javascript(server, browser_factory):
    driver = browser_factory(lang="es", javascript=False)
    driver.get(server + "/")
    time.sleep(0.5)
    assert driver.current_url.rstrip("/") == server
    links = {a.get_attribute("hreflang"): a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "a[hreflang]")}
    assert links["es"].endswith("/es/book/index.html") and links["en"].endswith("/en/book/index.html")


def test_switcher_opens_same_page_in_other_language(server, browser_factory):
    driver = browser_factory(lang="es")
    driver.get(server + "/es/book/data.html")
    screenshot(driver, "data-es-desktop")
    driver.find_element(By.CSS_SELECTOR, "a.kb-lang-switch").click()
    wait_url(driver, "/en/book/data.html")
    assert driver.find_element(By.CSS_SELECTOR, "article.bd-article h1").text.startswith("Data")
    driver.find_element(By.CSS_SELECTOR, "a.kb-lang-switch").click()
    wait_url(driver, "/es/book/data.html")
    assert driver.find_element(By.CSS_SELECTOR, "article.bd-article h1").text.startswith("Datos")
    # The choice is remembered: the root now opens Spanish even for an English browser.
    driver.get(server + "/")
    wait_url(driver, "/es/book/index.html")


def test_switcher_works_with_the_keyboard(server, browser_factory):
    from selenium.webdriver.common.keys import Keys

    driver = browser_factory(lang="en")
    driver.get(server + "/en/book/about.html")
    link = driver.find_element(By.CSS_SELECTOR, "a.kb-lang-switch")
    link.send_keys(Keys.ENTER)
    wait_url(driver, "/es/book/about.html")


SEARCHES = [  # (language, query, a page that must be among the first results)
    ("es", "Haití", "/es/book/countries/hti.html"),
    ("es", "haiti", "/es/book/countries/hti.html"),          # without the accent
    ("es", "Mexico", "/es/book/countries/mex.html"),         # the page says México
    ("es", "tipificacion", "/es/book/data.html"),            # the page says tipificación
    ("es", "prevalencias", "/es/book/methodology.html"),     # plural of prevalencia
    ("es", "cuestionarios", "/es/book/about.html"),
    ("en", "Haiti", "/en/book/countries/hti.html"),
    ("en", "prevalences", "/en/book/methodology.html"),      # plural of prevalence
    ("en", "questionnaires", "/en/book/about.html"),
]


@pytest.mark.parametrize("lang,query,expected", SEARCHES)
def test_search_finds_page_in_readers_language(server, browser_factory, lang, query, expected):
    driver = browser_factory(lang=lang)
    driver.get(f"{server}/{lang}/search.html?q={quote(query)}")
    hrefs = search_results(driver, expected)
    assert any(h.split("#")[0].endswith(expected) for h in hrefs), hrefs
    assert all(f"/{lang}/" in h for h in hrefs), hrefs
    screenshot(driver, f"search-{lang}-{query}")


def test_phone_width_spanish_page(server, browser_factory):
    driver = browser_factory(lang="es", width=390, height=844)
    driver.get(server + "/es/book/data.html")
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 400, f"page scrolls sideways at phone width ({width}px)"
    screenshot(driver, "data-es-phone")
