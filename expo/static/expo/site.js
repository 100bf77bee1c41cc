/* Small behaviours of every page, kept out of the HTML so that the Content-Security-Policy can
   forbid inline scripts: a <select data-autosubmit> (the language switch) submits its form, and a
   read-only field selects its text when tapped. */
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("select[data-autosubmit]")) e.target.form.submit();
  });
})();
(function () {
  "use strict";
  // A read-only field that holds something to copy (a calendar address) selects itself when tapped.
  document.addEventListener("click", function (e) {
    if (e.target.matches && e.target.matches("input[readonly]")) e.target.select();
  });
})();
