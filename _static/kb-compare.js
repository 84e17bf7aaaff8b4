// Compare two to four states: measures in place and latest indicators side by side.
// The data is embedded in the page (works offline); the choice lives in ?states=GTM,HND so that
// a comparison can be linked, reloaded and carried to the other language.
(function () {
  var source = document.getElementById("kb-compare-data");
  var form = document.getElementById("kb-compare-form");
  var out = document.getElementById("kb-compare-out");
  if (!source || !form || !out) return;
  var data = JSON.parse(source.textContent);
  var byIso = {};
  data.states.forEach(function (s) { byIso[s.iso3] = s; });
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  form.hidden = false;

  function chosen() {
    var seen = {};
    return selects.map(function (s) { return s.value; })
      .filter(function (v) { return v && byIso[v] && !seen[v] && (seen[v] = true); });
  }
  function fromUrl() {
    var wanted = (new URLSearchParams(window.location.search).get("states") || "").toUpperCase().split(",");
    wanted = wanted.filter(function (v) { return byIso[v]; }).slice(0, selects.length);
    selects.forEach(function (s, i) { s.value = wanted[i] || ""; });
  }
  function toUrl(states) {
    var params = new URLSearchParams(window.location.search);
    if (states.length) params.set("states", states.join(",")); else params.delete("states");
    // Commas are safe in a query: keep "?states=GTM,HND" readable when shared.
    var query = params.toString().replace(/%2C/gi, ",");
    history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function render() {
    var states = chosen();
    toUrl(states);
    out.textContent = "";
    if (states.length < 2) { out.appendChild(el("p", data.strings.pick_two, "kb-compare-hint")); return; }
    var table = el("table", undefined, "kb-compare");
    var head = table.createTHead().insertRow();
    head.appendChild(el("th", "")).setAttribute("scope", "col");
    states.forEach(function (iso) {
      var th = el("th"); th.setAttribute("scope", "col");
      var link = el("a", byIso[iso].name);
      link.href = "countries/" + iso.toLowerCase() + ".html";
      th.appendChild(link);
      head.appendChild(th);
    });
    var body = table.createTBody();
    function group(title) {
      var row = body.insertRow(); row.className = "kb-compare-group";
      var th = el("th", title); th.colSpan = states.length + 1; th.setAttribute("scope", "colgroup");
      row.appendChild(th);
    }
    function line(label, cell) {
      var row = body.insertRow();
      var th = el("th", label); th.setAttribute("scope", "row"); row.appendChild(th);
      states.forEach(function (iso) { row.appendChild(cell(byIso[iso])); });
    }
    group(data.strings.indicators);
    data.strings.rows.indicators.forEach(function (pair) {
      line(pair[1], function (s) { return el("td", s.indicators[pair[0]]); });
    });
    if (data.strings.rows.measures) {
      group(data.strings.measures);
      data.strings.rows.measures.forEach(function (pair) {
        var key = pair[0];
        line(pair[1], function (s) {
          var m = s.measures[key], td = el("td", undefined, "kb-st-" + m.status);
          var link = el("a", m.text + (m.when ? " (" + m.when + ")" : ""));
          link.href = "measures/" + key.replace(/_/g, "-") + ".html#measure-" + key.replace(/_/g, "-") + "-" + s.iso3.toLowerCase();
          td.appendChild(link);
          if (m.us) { var us = el("abbr", data.strings.us_mark, "kb-us"); us.title = data.strings.us; td.appendChild(us); }
          return td;
        });
      });
    }
    out.appendChild(table);
  }
  fromUrl();
  form.addEventListener("change", render);
  render();
  // Sphinx's search highlighter rewrites the address once the page is ready (it removes
  // "?highlight="), which encodes the commas again: tidy it after that.
  window.addEventListener("load", function () { toUrl(chosen()); });
})();
