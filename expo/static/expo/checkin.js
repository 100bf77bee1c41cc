/* Door check-in: a USB scanner types the code and Enter into #code; the camera is read with the
   browser's BarcodeDetector where it exists, else with the vendored jsQR. Each code is posted once
   and the answer shown in green (admitted) or red. */
(function () {
  "use strict";
  var form = document.getElementById("scan-form");
  var input = document.getElementById("code");
  var result = document.getElementById("result");
  var video = document.getElementById("camera");
  var canvas = document.getElementById("frame");
  var lastCode = null, lastAt = 0, stream = null, detector = null;

  function show(body) {
    result.hidden = false;
    result.className = "scan-result " + (body.admitted ? (body.outcome === "already" ? "already" : "ok") : "bad");
    result.querySelector(".outcome").textContent = body.message;
    result.querySelector(".who").textContent = body.name ? body.name + (body.organization ? " · " + body.organization : "") + " · " + body.pass_type : "";
    if (typeof body.today === "number") document.getElementById("today").textContent = body.today;
  }

  function submit(code) {
    code = (code || "").trim();
    if (!code) return;
    var now = Date.now();
    if (code === lastCode && now - lastAt < 3000) return;  // the camera sees the same badge many times
    lastCode = code; lastAt = now;
    var data = new FormData(form);
    data.set("code", code);
    fetch(form.action, { method: "POST", body: data, headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(show)
      .catch(function () { show({ admitted: false, message: form.dataset.offline || "Sin conexión / offline" }); });
    input.value = "";
    input.focus();
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); submit(input.value); });

  function tick() {
    if (!stream) return;
    if (video.readyState === video.HAVE_ENOUGH_DATA) {
      if (detector) {
        detector.detect(video).then(function (codes) { if (codes.length) submit(codes[0].rawValue); }).catch(function () {});
      } else if (window.jsQR) {
        canvas.width = video.videoWidth; canvas.height = video.videoHeight;
        var ctx = canvas.getContext("2d");
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = ctx.getImageData(0, 0, canvas.width, canvas.height);
        var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        if (found) submit(found.data);
      }
    }
    setTimeout(function () { requestAnimationFrame(tick); }, 150);
  }

  document.getElementById("camera-toggle").addEventListener("click", function () {
    if (stream) {
      stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null; video.hidden = true; return;
    }
    if ("BarcodeDetector" in window) {
      try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { detector = null; }
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
      stream = s; video.srcObject = s; video.hidden = false; video.play(); tick();
    }).catch(function (err) { show({ admitted: false, message: String(err) }); });
  });
})();
