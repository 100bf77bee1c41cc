/* Door desk search: find a registration by name, email or organization (a visitor with a dead phone
   or no badge) and check it in with one tap. Results are built with textContent only; each "Check in"
   button carries the registration's short code, which checkin.js posts like a scan. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var list = document.getElementById("search-results");
  if (!form || !list) return;
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var url = form.action + "?" + new URLSearchParams(new FormData(form)).toString();
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        list.textContent = "";
        if (!body.results.length) {
          list.appendChild(document.createElement("li")).textContent = list.dataset.none;
          return;
        }
        body.results.forEach(function (item) {
          var li = list.appendChild(document.createElement("li"));
          li.className = "card";
          li.appendChild(document.createElement("strong")).textContent = item.name;
          var meta = li.appendChild(document.createElement("p"));
          meta.className = "meta";
          meta.textContent = [item.organization, item.email, item.pass_type, item.status].filter(Boolean).join(" · ");
          var code = li.appendChild(document.createElement("p"));
          code.className = "meta";
          code.textContent = list.dataset.short + ": " + item.short_code;
          if (item.confirmed) {
            var button = li.appendChild(document.createElement("button"));
            button.type = "button";
            button.className = "primary";
            button.dataset.checkinCode = item.code;
            button.textContent = list.dataset.checkin;
          }
        });
      });
  });
})();
