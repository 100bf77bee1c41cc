/* Certificate batches on the organizers' page (kept out of the HTML for the Content-Security-Policy). */
/* Progress of running batches, polled every two seconds; the page reloads when one finishes. */
(function () {
  var rows = document.querySelectorAll("tr[data-progress]:not([data-progress=''])");
  if (!rows.length) return;
  function poll() {
    rows.forEach(function (row) {
      fetch(row.dataset.progress, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (b) {
        row.querySelector("progress").value = b.percent;
        row.querySelector(".batch-count").textContent = b.done + "/" + b.total;
        row.querySelector(".batch-status").textContent = b.status_label;
        if (b.status === "done" || b.status === "failed") window.location.reload();
      });
    });
  }
  setInterval(poll, 2000);
})();
