// Matrix of measures: filter by subregion and by measure, sort by name or by measures in place.
// The table works without this script; the form stays hidden until it runs.
(function () {
  var form = document.getElementById("kb-matrix-filters");
  var table = document.getElementById("kb-matrix");
  if (!form || !table) return;
  form.hidden = false;
  var body = table.tBodies[0];
  var original = Array.prototype.slice.call(body.rows);
  var count = form.querySelector(".kb-matrix-count");

  function apply() {
    var sub = form.querySelector('[data-filter="subregion"]').value;
    var measure = form.querySelector('[data-filter="measure"]').value;
    var order = form.querySelector("[data-sort]").value;
    var rows = original.slice();
    if (order === "name") rows.sort(function (a, b) { return a.dataset.name.localeCompare(b.dataset.name); });
    if (order === "in_place") rows.sort(function (a, b) { return b.dataset.inPlace - a.dataset.inPlace; });
    var shown = 0;
    rows.forEach(function (row) {
      var visible = !sub || row.dataset.subregion === sub;
      row.hidden = !visible;
      if (visible) shown++;
      body.appendChild(row);
    });
    table.querySelectorAll("[data-measure]").forEach(function (cell) {
      cell.hidden = !!measure && cell.dataset.measure !== measure;
    });
    if (count) count.textContent = shown + " " + table.dataset.countLabel;
  }
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  apply();
})();
