/* A badge batch's page follows the Celery task: it asks the same URL for JSON every two seconds
   until the batch is ready (then shows the download) or failed. */
(function () {
  "use strict";
  var box = document.getElementById("batch");
  if (!box) return;
  function poll() {
    fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        document.getElementById("batch-status").textContent = body.status_display;
        document.getElementById("batch-done").textContent = body.done.toLocaleString();
        document.getElementById("batch-progress").value = body.percent;
        var error = document.getElementById("batch-error");
        error.hidden = !body.error; error.textContent = body.error;
        var link = document.getElementById("batch-download");
        if (body.download) { link.href = body.download; link.hidden = false; }
        if (body.status === "queued" || body.status === "running") setTimeout(poll, 2000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  poll();
})();
