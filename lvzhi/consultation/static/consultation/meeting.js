// The meeting page: embeds the room from the deployment's own video server (its external_api.js, loaded before
// this file) and reports joining and leaving to /consultation/<id>/attendance/. No inline script (strict CSP).
(function () {
  "use strict";
  var el = document.getElementById("consult-room");
  var state = document.getElementById("consult-state");
  if (!el || typeof window.JitsiMeetExternalAPI !== "function") {
    if (state) { state.textContent = state.getAttribute("data-failed") || "—"; }
    return;
  }
  function report(event) {
    var body = new URLSearchParams();
    body.append("event", event);
    return fetch(el.dataset.attendance, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": el.dataset.csrf, "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString()
    }).then(function (r) {
      if (state) { state.dataset.last = event + ":" + r.status; }
      return r;
    });
  }
  var api = new window.JitsiMeetExternalAPI(el.dataset.domain, {
    roomName: el.dataset.room,
    jwt: el.dataset.jwt,
    parentNode: el,
    width: "100%",
    height: "100%",
    userInfo: { displayName: el.dataset.name },
    lang: "zhCN"
  });
  var joined = false;
  api.addListener("videoConferenceJoined", function () {
    joined = true;
    report("joined").then(function () { if (state) { state.textContent = state.dataset.joined || state.textContent; } });
  });
  function left() {
    if (!joined) { return; }
    joined = false;
    report("left").then(function () { if (state) { state.textContent = state.dataset.left || state.textContent; } });
  }
  api.addListener("videoConferenceLeft", left);
  api.addListener("readyToClose", left);
  window.addEventListener("pagehide", function () {
    if (!joined) { return; }
    var body = new FormData();
    body.append("event", "left");
    body.append("csrfmiddlewaretoken", el.dataset.csrf);
    navigator.sendBeacon(el.dataset.attendance, body);
  });
})();
