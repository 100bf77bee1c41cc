/* Badge scanner (door check-in; any page with the same form): a USB scanner types the code and Enter
   into #code; the camera is read with the browser's BarcodeDetector where it exists, else with the
   vendored jsQR. Each code is posted with the form's other fields to the form's action, and the answer
   shown in green (admitted), teal (already in) or red. The form says where to post (action) and which
   offline queue to use (data-queue), so another scanner page (room attendance...) reuses this file
   with its own fields. Fields marked data-remember (the door name) are kept in localStorage.

   Offline: when the server cannot be reached, the badge's Ed25519 signature is verified here with
   WebCrypto against the edition's public keys (the JSON block named by data-keys; the page never
   holds a key that can sign), the scan is kept in localStorage with the time it was read, and sent
   when the network is back. A queued scan the server then refuses (too old, a cancelled
   registration...) is listed under #sync-failed for staff to see, never dropped silently. */
(function () {
  "use strict";
  var form = document.getElementById("scan-form");
  var input = document.getElementById("code");
  var result = document.getElementById("result");
  var video = document.getElementById("camera");
  var canvas = document.getElementById("frame");
  var QUEUE = form.dataset.queue || "expo-checkin-queue";
  var FAILED = QUEUE + "-failed";
  var lastCode = null, lastAt = 0, lastBody = null, stream = null, detector = null, flushing = false;
  var keysBlock = form.dataset.keys && document.getElementById(form.dataset.keys);
  var publicKeys = keysBlock ? JSON.parse(keysBlock.textContent) : {};

  function byId(id) { return document.getElementById(id); }

  function show(body) {
    lastBody = body;
    result.hidden = false;
    result.className = "scan-result " + (body.admitted ? (body.outcome === "already" ? "already" : "ok") : "bad");
    result.querySelector(".outcome").textContent = body.message;
    result.querySelector(".who").textContent = body.name ? body.name + (body.organization ? " · " + body.organization : "") + " · " + body.pass_type : "";
    if (typeof body.today === "number") dayCount(body.today_day, body.today_label, body.today_display || String(body.today));
  }

  // The per-day table follows the scans: today's row changes (or appears) with each answer.
  function dayCount(day, label, display) {
    var today = byId("today");
    if (today) today.textContent = display;
    var table = byId("counts");
    if (!table || !day) return;
    var row = table.querySelector('tr[data-day="' + day + '"]');
    if (!row) {
      var empty = table.querySelector("tr.empty");
      if (empty) empty.remove();
      row = document.createElement("tr");
      row.dataset.day = day;
      row.appendChild(document.createElement("td")).textContent = label;
      row.appendChild(document.createElement("td"));
      table.appendChild(row);
    }
    row.lastElementChild.textContent = display;
  }

  function load(name) { try { return JSON.parse(localStorage.getItem(name) || "[]"); } catch (e) { return []; } }
  function queue() { return load(QUEUE); }
  function saveQueue(items) {
    localStorage.setItem(QUEUE, JSON.stringify(items));
    var pending = byId("pending");
    if (pending) pending.textContent = items.length;
  }
  function failed() { return load(FAILED); }
  function saveFailed(items) {
    localStorage.setItem(FAILED, JSON.stringify(items));
    var box = byId("sync-failed");
    if (!box) return;
    box.hidden = !items.length;
    var list = box.querySelector("ul");
    list.textContent = "";
    items.forEach(function (item) {
      var li = list.appendChild(document.createElement("li"));
      var when = new Date(item.at);
      li.textContent = when.toLocaleString(document.documentElement.lang) + " · " + (item.name || item.fields.code) + " · " + item.message;
    });
  }

  function post(fields) {
    var data = new FormData(form);
    Object.keys(fields).forEach(function (k) { data.set(k, fields[k]); });
    return fetch(form.action, { method: "POST", body: data, credentials: "same-origin",
                               headers: { "X-Requested-With": "fetch" } })
      .then(function (r) {
        if (r.status >= 500 || r.status === 429) throw new Error(r.status);
        var type = r.headers.get("Content-Type") || "";
        // A sign-in page instead of JSON (the session ended): keep the scan queued.
        if (type.indexOf("application/json") !== 0) throw new Error("not json");
        return r.json().then(function (body) { body.status = r.status; return body; });
      });
  }

  var BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  function base32Decode(text) {
    var bits = 0, value = 0, out = [];
    for (var i = 0; i < text.length; i++) {
      var index = BASE32.indexOf(text[i]);
      if (index < 0) return null;
      value = (value << 5) | index; bits += 5;
      if (bits >= 8) { out.push((value >>> (bits - 8)) & 255); bits -= 8; }
    }
    return new Uint8Array(out);
  }

  // EXPO2.<edition>.<registration>.<key number>.<Ed25519 signature, base32>, as expo/registration/badges.py makes it.
  var CODE = /^EXPO2\.([0-9]{1,18})\.([0-9]{1,18})\.([0-9]{1,5})\.([A-Z2-7]{103})$/;
  function verifyOffline(code) {
    var match = CODE.exec(code.trim().toUpperCase());
    if (!match || match[1] !== form.dataset.event || !publicKeys[match[3]] || !window.crypto || !crypto.subtle) {
      return Promise.resolve(false);
    }
    var raw = Uint8Array.from(atob(publicKeys[match[3]]), function (c) { return c.charCodeAt(0); });
    var signed = new TextEncoder().encode(["EXPO2", match[1], match[2], match[3]].join("."));
    return crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"])
      .then(function (key) { return crypto.subtle.verify({ name: "Ed25519" }, key, base32Decode(match[4]), signed); })
      .catch(function () { return false; });
  }

  function flush() {
    var items = queue();
    if (flushing || !items.length) return;
    flushing = true;
    var item = items[0];
    var fields = Object.assign({}, item.fields, { scanned_at: item.at });
    post(fields).then(function (body) {
      // Refused by the server (400: too old, a door name too long; or not admitted after all): tell staff.
      if (body.status >= 400 || !body.admitted) {
        var list = failed();
        list.push({ fields: item.fields, at: item.at, name: body.name || "", message: body.message || String(body.status) });
        saveFailed(list);
      }
      saveQueue(queue().slice(1)); flushing = false; flush();
    }).catch(function () { flushing = false; });
  }

  function submit(code, source) {
    input.value = "";  // on every path, so the next USB scan never lands after a leftover
    input.focus();
    code = (code || "").trim();
    if (!code) return;
    var now = Date.now();
    if (source === "camera" && code === lastCode && now - lastAt < 3000) return;  // the camera sees one badge many times
    lastCode = code; lastAt = now;
    var fields = {};
    new FormData(form).forEach(function (value, name) { if (name !== "csrfmiddlewaretoken") fields[name] = value; });
    fields.code = code;
    post({ code: code }).then(function (body) { show(body); flush(); }).catch(function () {
      if (!CODE.test(code.toUpperCase())) {
        show({ admitted: false, outcome: "offline", message: form.dataset.offlineShort });
        return;
      }
      verifyOffline(code).then(function (valid) {
        if (valid) {
          var items = queue(); items.push({ fields: fields, at: new Date().toISOString() }); saveQueue(items);
        }
        show({ admitted: valid, outcome: valid ? "ok" : "invalid",
               message: valid ? form.dataset.offlineOk : form.dataset.offlineBad });
      });
    });
  }

  // Remembered fields (the door's name): restored on load, saved as typed.
  Array.prototype.forEach.call(form.querySelectorAll("[data-remember]"), function (field) {
    var name = "expo-remember-" + field.dataset.remember;
    if (!field.value) field.value = localStorage.getItem(name) || "";
    field.addEventListener("input", function () { localStorage.setItem(name, field.value); });
  });

  form.addEventListener("submit", function (e) { e.preventDefault(); submit(input.value, "typed"); });
  window.addEventListener("online", flush);
  saveQueue(queue());
  saveFailed(failed());
  var clear = byId("sync-failed-clear");
  if (clear) clear.addEventListener("click", function () { saveFailed([]); });
  setInterval(flush, 15000);

  // Door staff without a phone camera (or a visitor without a badge) check in from the search list:
  // each result's button posts its short code through the same path as a scan.
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-checkin-code]");
    if (button) submit(button.dataset.checkinCode, "search");
  });

  function tick() {
    if (!stream) return;
    if (video.readyState === video.HAVE_ENOUGH_DATA) {
      if (detector) {
        detector.detect(video).then(function (codes) { if (codes.length) submit(codes[0].rawValue, "camera"); }).catch(function () {});
      } else if (window.jsQR) {
        canvas.width = video.videoWidth; canvas.height = video.videoHeight;
        var ctx = canvas.getContext("2d");
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = ctx.getImageData(0, 0, canvas.width, canvas.height);
        var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        if (found) submit(found.data, "camera");
      }
    }
    setTimeout(function () { requestAnimationFrame(tick); }, 150);
  }

  var toggle = byId("camera-toggle");
  if (toggle) toggle.addEventListener("click", function () {
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
