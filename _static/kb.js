// Remember the reader's language choice so the site root sends her there next time.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-kb-lang]");
  if (link) {
    try { localStorage.setItem("kb-lang", link.getAttribute("data-kb-lang")); } catch (e) {}
  }
});
