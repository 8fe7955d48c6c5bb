// Onboarding job page: while the job runs, fetch its counters every two seconds; reload the page when it stops
// (the confirm form or the report link appears). Without script the page refreshes itself (<noscript> meta).
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box || !box.dataset.poll) { return; }
  var url = box.dataset.poll;
  function tick() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        box.innerHTML = html;
        var state = box.querySelector("[data-status]");
        var status = state ? state.dataset.status : "";
        if (status === "checking" || status === "importing") { window.setTimeout(tick, 2000); }
        else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(tick, 5000); });
  }
  window.setTimeout(tick, 2000);
})();
