// Study time on a lesson page (委员学习): a heartbeat to the server every N seconds, sent only while the page is
// visible (document.visibilityState === "visible") and the user has interacted recently (a key, a touch, a scroll,
// the pointer, or a playing video). The server counts the time itself and caps each beat; nothing is counted here.
// No inline script (strict CSP): the settings come from the #study element's data attributes.
(function () {
  "use strict";
  var el = document.getElementById("study");
  if (!el || !window.fetch) { return; }
  var every = Math.max(2, parseInt(el.dataset.every, 10) || 30) * 1000;
  var idle = Math.max(10, parseInt(el.dataset.idle, 10) || 120) * 1000;
  var today = document.getElementById("study-today");
  var state = document.getElementById("study-state");
  var video = document.querySelector("video[data-testid='lesson-video']");
  var lastInput = Date.now();
  var lastSent = 0;

  function touched() { lastInput = Date.now(); }
  ["keydown", "pointerdown", "pointermove", "touchstart", "scroll", "wheel"].forEach(function (name) {
    window.addEventListener(name, touched, { passive: true });
  });
  if (video) {
    video.addEventListener("timeupdate", function () { if (!video.paused) { touched(); } });
  }

  function show(key) {
    if (state && state.dataset[key]) { state.textContent = state.dataset[key]; state.dataset.state = key; }
  }

  function active() {
    return document.visibilityState === "visible" && Date.now() - lastInput <= idle;
  }

  function beat() {
    if (!active()) { show("paused"); lastSent = 0; return; }
    var now = Date.now();
    var body = new URLSearchParams();
    // The first beat after a pause claims nothing: the server starts a new stretch (the pause is never counted).
    body.append("seconds", lastSent ? String(Math.round((now - lastSent) / 1000)) : "0");
    lastSent = now;
    fetch(el.dataset.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": el.dataset.csrf, "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString()
    }).then(function (r) {
      return r.json().then(function (data) { return { status: r.status, data: data }; });
    }).then(function (answer) {
      el.dataset.last = String(answer.status);
      if (answer.status === 200) {
        show("counting");
        if (today && answer.data.today_text) { today.textContent = answer.data.today_text; }
        el.dataset.total = String(answer.data.course_seconds);
      } else if (answer.status === 409) {
        show("other");
      }
    }).catch(function () { show("paused"); });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState !== "visible") { show("paused"); lastSent = 0; }
  });
  beat();
  window.setInterval(beat, every);
}());
