/* Badge scanner (door check-in; any page with the same form): a USB scanner types the code and Enter
   into #code; the camera is read with the browser's BarcodeDetector where it exists, else with the
   vendored jsQR. Each code is posted with the form's other fields to the form's action, and the answer
   shown in green (admitted) or red. The form says where to post (action) and which offline queue to
   use (data-queue), so another scanner page (room attendance...) reuses this file with its own fields.

   Offline: when the server cannot be reached, the badge's signature is verified here (HMAC-SHA256
   with WebCrypto, as expo/badges.py does), the scan is kept in localStorage with its time, and sent
   when the network is back. */
(function () {
  "use strict";
  var form = document.getElementById("scan-form");
  var input = document.getElementById("code");
  var result = document.getElementById("result");
  var video = document.getElementById("camera");
  var canvas = document.getElementById("frame");
  var QUEUE = form.dataset.queue || "expo-checkin-queue";
  var lastCode = null, lastAt = 0, stream = null, detector = null, flushing = false;

  function show(body) {
    result.hidden = false;
    result.className = "scan-result " + (body.admitted ? (body.outcome === "already" ? "already" : "ok") : "bad");
    result.querySelector(".outcome").textContent = body.message;
    result.querySelector(".who").textContent = body.name ? body.name + (body.organization ? " · " + body.organization : "") + " · " + body.pass_type : "";
    if (typeof body.today === "number") document.getElementById("today").textContent = body.today;
  }

  function queue() { try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; } }
  function saveQueue(items) {
    localStorage.setItem(QUEUE, JSON.stringify(items));
    document.getElementById("pending").textContent = items.length;
  }

  function post(fields) {
    var data = new FormData(form);
    Object.keys(fields).forEach(function (k) { data.set(k, fields[k]); });
    return fetch(form.action, { method: "POST", body: data, credentials: "same-origin",
                               headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { if (r.status >= 500) throw new Error(r.status); return r.json(); });
  }

  var BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  function base32(bytes) {
    var bits = 0, value = 0, out = "";
    for (var i = 0; i < bytes.length; i++) {
      value = (value << 8) | bytes[i]; bits += 8;
      while (bits >= 5) { out += BASE32[(value >>> (bits - 5)) & 31]; bits -= 5; }
    }
    if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
    return out;
  }

  function verifyOffline(code) {
    var parts = code.trim().toUpperCase().split(".");
    if (parts.length !== 4 || parts[0] !== "EXPO1" || parts[1] !== form.dataset.event || !window.crypto || !crypto.subtle) {
      return Promise.resolve(false);
    }
    var raw = Uint8Array.from(atob(form.dataset.key), function (c) { return c.charCodeAt(0); });
    return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
      .then(function (key) { return crypto.subtle.sign("HMAC", key, new TextEncoder().encode(parts.slice(0, 3).join("."))); })
      .then(function (sig) { return base32(new Uint8Array(sig).slice(0, 16)) === parts[3]; });
  }

  function flush() {
    var items = queue();
    if (flushing || !items.length) return;
    flushing = true;
    var item = items[0];
    var fields = Object.assign({}, item.fields || { code: item.code, gate: item.gate }, { scanned_at: item.at });
    post(fields).then(function () {
      saveQueue(queue().slice(1)); flushing = false; flush();
    }).catch(function () { flushing = false; });
  }

  function submit(code) {
    code = (code || "").trim();
    if (!code) return;
    var now = Date.now();
    if (code === lastCode && now - lastAt < 3000) return;  // the camera sees the same badge many times
    lastCode = code; lastAt = now;
    var fields = {};
    new FormData(form).forEach(function (value, name) { if (name !== "csrfmiddlewaretoken") fields[name] = value; });
    fields.code = code;
    post({ code: code }).then(function (body) { show(body); flush(); }).catch(function () {
      verifyOffline(code).then(function (valid) {
        if (valid) {
          var items = queue(); items.push({ fields: fields, at: new Date().toISOString() }); saveQueue(items);
        }
        show({ admitted: valid, outcome: valid ? "ok" : "invalid",
               message: valid ? form.dataset.offlineOk : form.dataset.offlineBad });
      });
    });
    input.value = "";
    input.focus();
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); submit(input.value); });
  window.addEventListener("online", flush);
  saveQueue(queue());
  setInterval(flush, 15000);

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
