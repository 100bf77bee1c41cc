/* The B2B profile form, on a phone: availability shortcuts (whole day, morning, afternoon, none)
   and live counts in the summaries. Without JavaScript the checkboxes still work. */
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/__(\w+)__/g, function (_, key) { return values[key]; });
  }

  document.querySelectorAll("[data-day]").forEach(function (day) {
    var labels = Array.prototype.slice.call(day.querySelectorAll("[data-part]"));
    var summary = day.querySelector("[data-summary]");

    function refresh() {
      var chosen = labels.filter(function (label) { return label.querySelector("input").checked; }).length;
      var key = chosen === 0 ? "none" : chosen === labels.length ? "all" : "some";
      summary.textContent = fill(summary.dataset[key], { N: chosen, TOTAL: labels.length });
    }

    day.querySelectorAll("[data-pick]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var pick = button.dataset.pick;
        labels.forEach(function (label) {
          label.querySelector("input").checked = pick === "day" || pick === label.dataset.part;
        });
        refresh();
      });
    });
    labels.forEach(function (label) { label.querySelector("input").addEventListener("change", refresh); });
  });

  document.querySelectorAll("[data-trade]").forEach(function (group) {
    var count = group.querySelector("[data-count]");
    function refresh() {
      count.textContent = fill(count.dataset.count, {
        OFFERED: group.querySelectorAll("input[name=offers]:checked").length,
        NEEDED: group.querySelectorAll("input[name=needs]:checked").length,
      });
    }
    group.addEventListener("change", refresh);
  });

  document.querySelectorAll("[data-chosen]").forEach(function (group) {
    var count = group.querySelector("[data-count]");
    group.addEventListener("change", function () {
      count.textContent = fill(count.dataset.count, { N: group.querySelectorAll("input:checked").length });
    });
  });
})();
