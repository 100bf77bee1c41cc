/* The organizers' dashboard: draws each chart from its JSON (a json_script next to the canvas)
   with the vendored Chart.js; a click on a bar or slice opens the admin list behind it.
   No inline script anywhere, so a strict Content-Security-Policy (script-src 'self') holds. */
(function () {
  "use strict";
  var palette = ["#0b6e99", "#f0a202", "#7a9e3a", "#c2412d", "#6b4c9a", "#2a9d8f", "#8d99ae"];

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || !window.Chart) { return; }
    var spec = JSON.parse(source.textContent);
    var doughnut = spec.kind === "doughnut";
    var datasets = spec.series.map(function (series, i) {
      return {
        label: series.label,
        data: series.data,
        backgroundColor: doughnut ? palette.slice(0, series.data.length) : palette[i % palette.length],
        borderColor: doughnut ? "#fff" : palette[i % palette.length],
        fill: false,
        tension: 0.2
      };
    });
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: datasets.length > 1 || doughnut, position: "bottom" } },
      onClick: function (event, elements) {
        if (elements.length && spec.urls[elements[0].index]) { window.location.href = spec.urls[elements[0].index]; }
      },
      onHover: function (event, elements) {
        event.native.target.style.cursor = elements.length ? "pointer" : "default";
      }
    };
    if (!doughnut) {
      options.indexAxis = spec.horizontal ? "y" : "x";
      options.scales = { x: { stacked: spec.stacked, beginAtZero: true }, y: { stacked: spec.stacked, beginAtZero: true } };
    }
    if (spec.horizontal) {
      canvas.parentNode.style.height = Math.max(12, spec.labels.length * 2) + "rem";
    }
    new window.Chart(canvas, { type: spec.kind, data: { labels: spec.labels, datasets: datasets }, options: options });
    canvas.dataset.drawn = "1";
  }

  function start() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
