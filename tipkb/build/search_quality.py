"""Search quality: the readers' queries of tests/search_queries.csv run against the built site.

``python -m tipkb.build.search_quality [site] [--out docs/search-quality.md]`` serves the site,
opens each language's search page in headless Chromium and runs every query through Pagefind's
JavaScript API with the options and query processing the search page itself uses
(``window.kbSearch``, _static/kb-search.js; ``--plain``: Pagefind's defaults and the queries as
typed, as on the site before issue 18), in a Pagefind instance of its own. A query is
answered at rank *n* when the *n*-th result is one of its expected pages — and, where the query
names a section (``page#anchor``), when that result is the section itself or shows it among the
sub-results the search page displays (at most three, those with most hits). It prints top-1 and
top-3 hit rates per language and writes the table, with the five worst queries of each language,
to the ``--out`` file.

The query list is decided from the content, not from the results: improve the ranking, not the
list.
"""
from __future__ import annotations

import argparse
import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..lang import LANGS

QUERIES = paths.ROOT / "tests" / "search_queries.csv"
REPORT = paths.ROOT / "docs" / "search-quality.md"
TARGET_TOP1, TARGET_TOP3 = 0.75, 0.90
#: The same queries on the site before issue 18 — main without this branch (caf3a34, and again
#: bdb7ab9), indexed by Pagefind's CLI, searched with ``--plain`` — lang -> (top-1, top-3).
BEFORE = {"en": (0.51, 0.63), "es": (0.55, 0.65)}
#: The report's part below this line is written by hand (why the worst queries fail) and kept.
KEPT = "<!-- Written by hand below this line; kept when the script writes the tables again. -->"
DEPTH = 20  # results read per query: enough to say where the answer stands when it is not in the top 3

# Runs in the search page: the same Pagefind module, options and query processing as the page's UI,
# in a Pagefind instance of its own (the page's UI shares the module's default instance and sets its
# options when it loads: a ranking tried with --ranking would not be sure to hold there).
SEARCH_JS = """
const [bundle, queries, depth, ranking, plain, done] = arguments;
(async () => {
  const module = await import(bundle + "pagefind.js");
  const kb = window.kbSearch;
  if (!kb && !plain) throw new Error("the search page has no window.kbSearch (_static/kb-search.js)");
  const options = Object.assign({baseUrl: "/"}, (!plain && kb.options) || {});
  if (ranking) options.ranking = ranking;  // --ranking: trying other values without a rebuild
  const pagefind = module.createInstance(options);
  await pagefind.init();
  const processTerm = !plain && kb.processTerm ? kb.processTerm : (term) => term;
  const shown = (data) => {  // the sub-results Pagefind's default UI displays
    let subs = Array.isArray(data.sub_results) ? data.sub_results : [];
    if (subs.length && subs[0].url === (data.meta?.url || data.url)) subs = subs.slice(1);
    if (subs.length <= 3) return subs.map((s) => s.url);
    const top = [...subs].sort((a, b) => b.locations.length - a.locations.length).slice(0, 3).map((s) => s.url);
    return subs.filter((s) => top.includes(s.url)).map((s) => s.url);
  };
  const out = [];
  for (const query of queries) {
    const term = processTerm(query);
    const search = await pagefind.search(term);
    const rows = [];
    for (const result of search.results.slice(0, depth)) {
      const data = await result.data();
      rows.push({url: data.meta?.url || data.url, title: data.meta?.title || "", subs: shown(data)});
    }
    out.push({query, count: search.results.length, rows});
  }
  await pagefind.destroy();
  return out;
})().then(done, (error) => done({error: String(error)}));
"""


@dataclass
class Query:
    id: str
    lang: str
    query: str
    expect: list[tuple[str, str]]  # (page, anchor or "")
    why: str


@dataclass
class Outcome:
    query: Query
    count: int                         # results Pagefind returned
    rows: list[dict] = field(default_factory=list)
    rank: int | None = None            # 1-based rank of the first result that answers, within DEPTH

    @property
    def top1(self) -> bool:
        return self.rank == 1

    @property
    def top3(self) -> bool:
        return self.rank is not None and self.rank <= 3


def load(path: Path = QUERIES) -> list[Query]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [Query(row["id"], row["lang"], row["query"],
                      [tuple(target.partition("#")[::2]) for target in row["expect"].split()], row["why"])
                for row in csv.DictReader(handle)]


def _page(url: str, lang: str) -> tuple[str, str]:
    """'/es/book/x.html#a' -> ('book/x.html', 'a')."""
    path, _, anchor = url.partition("#")
    prefix = f"/{lang}/"
    path = path[path.find(prefix) + len(prefix):] if prefix in path else path.lstrip("/")
    return (path + "index.html" if path.endswith("/") or not path else path), anchor  # Pagefind drops index.html


def answers(row: dict, query: Query) -> bool:
    """Does this result answer the query: an expected page, landing on the expected section?"""
    page, anchor = _page(row["url"], query.lang)
    landed = {anchor} | {_page(sub, query.lang)[1] for sub in row["subs"]}
    return any(page == want and (not section or section in landed) for want, section in query.expect)


def _open(driver, url: str, plain: bool) -> None:
    """Open a search page and wait until it has loaded, with its settings (window.kbSearch, set by
    kb-search.js). ChromeDriver's ``get`` can return while the next page is still loading
    (seen on a loaded machine: ``document.readyState`` "loading", none of its scripts run yet);
    the queries would then run without the page's settings."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    ready = "return document.readyState === 'complete' && (arguments[0] || !!window.kbSearch)"
    try:
        WebDriverWait(driver, 30).until(lambda d: d.execute_script(ready, plain))
    except TimeoutException:
        said = [entry.get("message", "") for entry in driver.get_log("browser")]
        raise RuntimeError(f"{url}: not loaded with window.kbSearch (_static/kb-search.js) in 30 s; "
                           f"the browser said: {said}") from None


def evaluate(site: Path, queries: list[Query] | None = None, ranking: dict | None = None,
             plain: bool = False) -> list[Outcome]:
    """Run the queries on a built site. ``plain``: with Pagefind's defaults and the queries as
    typed, as a site without _static/kb-search.js searches (the site before issue 18)."""
    from .weights import _chromium, _serve

    queries = queries if queries is not None else load()
    outcomes = []
    with _serve(site) as base:
        driver = _chromium(1280, 900)
        try:
            driver.set_script_timeout(600)
            for lang in LANGS:
                mine = [q for q in queries if q.lang == lang]
                if not mine:
                    continue
                _open(driver, f"{base}/{lang}/search.html", plain)
                found = driver.execute_async_script(SEARCH_JS, f"/{paths.SEARCH}/{lang}/", [q.query for q in mine], DEPTH, ranking,
                                                    plain)
                if isinstance(found, dict):
                    raise RuntimeError(f"search page [{lang}]: {found['error']}")
                for query, result in zip(mine, found):
                    outcome = Outcome(query, result["count"], result["rows"])
                    outcome.rank = next((i for i, row in enumerate(outcome.rows, 1) if answers(row, query)), None)
                    outcomes.append(outcome)
        finally:
            driver.quit()
    return outcomes


def rates(outcomes: list[Outcome]) -> dict[str, tuple[float, float, int]]:
    """lang -> (top-1 rate, top-3 rate, queries)."""
    table = {}
    for lang in LANGS:
        mine = [o for o in outcomes if o.query.lang == lang]
        if mine:
            table[lang] = (sum(o.top1 for o in mine) / len(mine), sum(o.top3 for o in mine) / len(mine), len(mine))
    return table


def _shown(row: dict, lang: str) -> str:
    page, anchor = _page(row["url"], lang)
    return page + (f"#{anchor}" if anchor else "")


def diagnosis(outcome: Outcome) -> str:
    """Why a query is not answered first, from what Pagefind returned."""
    lang = outcome.query.lang
    ahead = ", ".join(f"`{_shown(r, lang)}`" for r in outcome.rows[:3])
    if outcome.count == 0:
        return "no result: no page holds every word of the query (Pagefind requires them all)"
    if outcome.rank is None:
        pages = {want for want, _ in outcome.query.expect}
        near = [i for i, r in enumerate(outcome.rows, 1) if _page(r["url"], lang)[0] in pages]
        if near:
            return (f"the expected page comes at rank {near[0]} but lands elsewhere than the expected section;"
                    f" first: {ahead}")
        return f"no expected page among the first {DEPTH} of {outcome.count} results; first: {ahead}"
    before = ", ".join(f"`{_shown(r, lang)}`" for r in outcome.rows[:outcome.rank - 1])
    return f"answered at rank {outcome.rank}, after {before}"


def worst(outcomes: list[Outcome], lang: str, n: int = 5) -> list[Outcome]:
    mine = [o for o in outcomes if o.query.lang == lang and not o.top1]
    return sorted(mine, key=lambda o: (o.rank is not None, -(o.rank or 0), -o.count))[:n]


def markdown(outcomes: list[Outcome], site_label: str = "", kept: str = "") -> str:
    """The report: rates before issue 18 and now, the five worst queries of each language, every
    query; then ``kept``, the hand-written part of the previous report."""
    table = rates(outcomes)
    lines = ["# Search quality", "",
             "Generated by `python -m tipkb.build.search_quality` from `tests/search_queries.csv` (the readers' "
             "queries and the pages that answer them, decided from the content). Each query runs in headless "
             "Chromium through Pagefind's JavaScript API with the search page's own options and query "
             "processing. *Rank* is the first result that is an expected page (landing on the expected section "
             "where one is named: the result itself or one of the sub-results the page shows); `—` means not "
             f"among the first {DEPTH}. Target in each language: top-1 ≥ {TARGET_TOP1:.0%}, top-3 ≥ "
             f"{TARGET_TOP3:.0%}.", ""]
    if site_label:
        lines += [site_label, ""]
    lines += ["| Language | Queries | Before issue 18: top-1 | top-3 | This build: top-1 | top-3 | Target |",
              "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for lang, (top1, top3, n) in table.items():
        met = "met" if top1 >= TARGET_TOP1 and top3 >= TARGET_TOP3 else "**not met**"
        before = " | ".join(f"{r:.0%}" for r in BEFORE[lang]) if lang in BEFORE else "— | —"
        lines.append(f"| {lang} | {n} | {before} | {top1:.0%} | {top3:.0%} | {met} |")
    lines += ["", "## How to run it", "",
              "Build the site (`./scripts/build`), then `.venv/bin/python -m tipkb.build.search_quality`: it serves "
              "`_build/site` on a free port, prints the rates and the queries not in the top 3, writes this file "
              "(`--out -` for none) and exits 1 below the target. `--ranking '{\"pageLength\": 0.5}'` tries "
              "other Pagefind ranking values on the same build; `--plain` searches with Pagefind's defaults "
              "and the queries as typed (how the *before* figures were measured, on a build of main without "
              "issue 18). The browser test `tests/test_search.py::test_readers_queries_meet_the_targets` runs "
              "the same check (`.venv/bin/python -m pytest tests/test_search.py -m browser`)."]
    for lang in table:
        lines += ["", f"## Five worst queries ({lang})", ""]
        for o in worst(outcomes, lang):
            lines.append(f"- `{o.query.query}` (expected: {o.query.why}): {diagnosis(o)}.")
    for lang in table:
        lines += ["", f"## Every query ({lang})", "", "| Query | Rank | First result |", "| --- | ---: | --- |"]
        for o in (o for o in outcomes if o.query.lang == lang):
            first = f"`{_shown(o.rows[0], lang)}`" if o.rows else "(none)"
            lines.append(f"| {o.query.query} | {o.rank or '—'} | {first} |")
    return "\n".join(lines) + "\n" + ("\n" + KEPT + kept if kept else "")


def kept_part(path: Path) -> str:
    """The hand-written part of a report (after :data:`KEPT`), or ""."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return text.partition(KEPT)[2] if KEPT in text else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", default=str(paths.SITE), type=Path)
    parser.add_argument("--out", type=Path, default=REPORT, help="where to write the table (- for none)")
    parser.add_argument("--label", default="", help="a line saying which build was measured")
    parser.add_argument("--ranking", type=json.loads, help="Pagefind ranking to try instead of the page's (JSON)")
    parser.add_argument("--plain", action="store_true",
                        help="Pagefind's defaults and the queries as typed (a site without kb-search.js)")
    parser.add_argument("--quiet", action="store_true", help="print only the rates")
    args = parser.parse_args(argv)
    outcomes = evaluate(args.site, ranking=args.ranking, plain=args.plain)
    for lang, (top1, top3, n) in rates(outcomes).items():
        print(f"[{lang}] {n} queries: top-1 {top1:.0%}, top-3 {top3:.0%}")
    for o in [] if args.quiet else outcomes:
        if not o.top3:
            print(f"  [{o.query.lang}] {o.query.query!r}: {diagnosis(o)}")
    if str(args.out) != "-":
        args.out.write_text(markdown(outcomes, args.label, kept_part(args.out)), encoding="utf-8")
        print(f"written: {args.out}")
    met = all(t1 >= TARGET_TOP1 and t3 >= TARGET_TOP3 for t1, t3, _ in rates(outcomes).values())
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
