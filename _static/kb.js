// Remember the reader's language choice so the site root sends her there next time.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-kb-lang]");
  if (link) {
    try { localStorage.setItem("kb-lang", link.getAttribute("data-kb-lang")); } catch (e) {}
  }
});

// The language switch opens the same place in the other language: the section being read (both
// languages have the same anchors) and, on the search page, the current query. Without JavaScript
// the plain link opens the top of the page.
function kbReadingPosition() {
  var hash = window.location.hash;
  var target = hash && document.getElementById(decodeURIComponent(hash.slice(1)));
  if (target) {
    var box = target.getBoundingClientRect();
    if (box.bottom > 0 && box.top < window.innerHeight) return hash;  // still reading there
  }
  if (window.scrollY < 1) return hash;
  var line = window.innerHeight / 3, id = "";
  document.querySelectorAll("article.bd-article section[id]").forEach(function (section) {
    if (section.getBoundingClientRect().top <= line) id = section.id;
  });
  return id ? "#" + id : hash;
}

function kbCarryPosition(event) {
  var link = event.target.closest && event.target.closest("a[data-kb-lang]");
  if (!link) return;
  var url = new URL(link.getAttribute("href"), window.location.href);
  var params = new URLSearchParams(window.location.search);
  var field = document.querySelector(".pagefind-ui__search-input");
  if (field) {
    if (field.value.trim()) params.set("q", field.value.trim()); else params.delete("q");
  }
  url.search = params.toString().replace(/%2C/gi, ",");  // "?states=GTM,HND" stays readable
  url.hash = kbReadingPosition();
  link.href = url.href;
}
document.addEventListener("click", kbCarryPosition, true);
document.addEventListener("auxclick", kbCarryPosition, true);
document.addEventListener("contextmenu", kbCarryPosition, true);

// Sidebar buttons: focus goes back to the button once its panel closes. The theme means to
// restore focus, but sphinx-book-theme blurs the button on click (to hide its tooltip), so focus
// would fall back to the top of the page and a keyboard reader would lose her place.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest(".bd-header-article .sidebar-toggle");
  if (!button) return;
  window.setTimeout(function () {
    if (!document.querySelector("dialog[open]")) button.focus({ preventScroll: true });  // wide screens: no dialog
  }, 0);
}, true);

// A link followed in an open sidebar closes it (the theme leaves "Contents" open over the section
// the reader asked for), and so does Escape wherever focus is.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("dialog[open] a[href]");
  var dialog = link && link.closest(".bd-container dialog");
  if (dialog) { dialog.dataset.kbFollowing = "1"; dialog.close(); }
});
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  document.querySelectorAll(".bd-container dialog[open]").forEach(function (dialog) { dialog.close(); });
});

document.addEventListener("DOMContentLoaded", function () {
  [["pst-primary-sidebar-modal", ".primary-toggle"], ["pst-secondary-sidebar-modal", ".secondary-toggle"]].forEach(function (pair) {
    var dialog = document.getElementById(pair[0]);
    if (!dialog) return;
    dialog.addEventListener("close", function () {
      if (dialog.dataset.kbFollowing) { delete dialog.dataset.kbFollowing; return; }  // focus goes where the link leads
      var button = document.querySelector(".bd-header-article " + pair[1]);
      if (button) window.setTimeout(function () { button.focus({ preventScroll: true }); }, 0);
    });
  });
  // Icons are drawn by the icon font (see kb.css): keep their characters away from screen readers.
  document.querySelectorAll(".fa-solid:not([aria-hidden])").forEach(function (icon) {
    icon.setAttribute("aria-hidden", "true");
  });
});

// "How to cite this page": fill in the page's address and today's date in the page's language.
document.addEventListener("DOMContentLoaded", function () {
  var url = document.querySelector(".kb-cite-url");
  var date = document.querySelector(".kb-cite-date");
  if (url) url.textContent = window.location.href.split("#")[0].split("?")[0];
  if (date) {
    var lang = document.documentElement.lang || "en";
    date.textContent = new Intl.DateTimeFormat(lang, { day: "numeric", month: "long", year: "numeric" }).format(new Date());
  }
});
