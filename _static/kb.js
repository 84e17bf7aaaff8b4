// Remember the reader's language choice so the site root sends her there next time.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-kb-lang]");
  if (link) {
    try { localStorage.setItem("kb-lang", link.getAttribute("data-kb-lang")); } catch (e) {}
  }
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
