// The search page: Pagefind's default UI in the page's language (Pagefind picks the index from
// <html lang>), with the settings of tipkb.search.page_config, written into the page as JSON:
// the interface's words (data/codebook.csv), the ranking, and the words a query can do without.
// window.kbSearch holds the options and the query processing, so that the search-quality check
// (tipkb.build.search_quality) searches exactly as this page does.
(function () {
  var holder = document.getElementById("kb-search-config");
  if (!holder) return;
  var config = JSON.parse(holder.textContent);
  var lang = document.documentElement.lang || "en";
  var stopwords = new Set(config.stopwords.map(function (w) { return w.toLocaleLowerCase(lang); }));
  var edges = /^[\s"'“”‘’«»¿¡(\[]+|[\s"'“”‘’«»?!),.;:\]]+$/g;

  // Words like "the", "which", "de" or "qué" are on every page, and Pagefind wants every word of a
  // query on the page it returns: "which states have shelters" searches for "states shelters".
  // A query made of such words only is searched as typed.
  function processTerm(term) {
    var words = term.split(/\s+/).filter(Boolean);
    var kept = words.filter(function (word) {
      return !stopwords.has(word.replace(edges, "").toLocaleLowerCase(lang));
    });
    return (kept.length ? kept : words).join(" ");
  }

  window.kbSearch = { options: { ranking: config.ranking }, processTerm: processTerm };

  window.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("kb-search");
    if (!box || typeof PagefindUI === "undefined") return;
    var bundle = new URL(box.getAttribute("data-bundle"), window.location.href);
    var ui = new PagefindUI({
      element: "#kb-search",
      bundlePath: bundle.pathname,
      baseUrl: new URL(box.getAttribute("data-site"), window.location.href).pathname,  // the site root, wherever it is hosted
      showSubResults: true,
      showImages: false,
      resetStyles: false,
      autofocus: true,
      translations: config.translations,
      processTerm: processTerm,
      ranking: config.ranking
    });
    // Pagefind's field has only a placeholder: name it by the page heading (visible label).
    var named = setInterval(function () {
      var input = document.querySelector(".pagefind-ui__search-input");
      if (input) { input.setAttribute("aria-labelledby", "kb-search-title"); clearInterval(named); }
    }, 50);
    // On a phone the filter groups would stand between the field and the results: they open
    // from one button there (kb.css shows it below 768 px, once there are filters to show).
    // The button says how many filters are chosen, so that results narrowed by a hidden filter
    // say so; its arrow is decoration (aria-expanded says open or closed).
    var toggle = document.createElement("button");
    var label = document.createElement("span");
    var arrow = document.createElement("span");
    toggle.type = "button";
    toggle.className = "btn btn-sm kb-filter-toggle";
    toggle.setAttribute("aria-expanded", "false");
    arrow.setAttribute("aria-hidden", "true");
    toggle.append(label, arrow);
    function showState() {
      var chosen = box.querySelectorAll(".pagefind-ui__filter-panel input:checked").length;
      label.textContent = config.filters_toggle + (chosen ? " (" + chosen + ")" : "");
      arrow.textContent = box.classList.contains("kb-filters-open") ? " ▴" : " ▾";
    }
    toggle.addEventListener("click", function () {
      toggle.setAttribute("aria-expanded", String(box.classList.toggle("kb-filters-open")));
      showState();
    });
    box.addEventListener("change", showState);
    showState();
    box.parentNode.insertBefore(toggle, box);
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) ui.triggerSearch(query);
  });
})();
