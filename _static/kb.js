// Remember the reader's language choice so the site root sends her there next time.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-kb-lang]");
  if (link) {
    try { localStorage.setItem("kb-lang", link.getAttribute("data-kb-lang")); } catch (e) {}
  }
});

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
