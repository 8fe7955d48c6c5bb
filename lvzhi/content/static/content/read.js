/* Reading time: while the page is visible, post the seconds read every 15 s and when the reader leaves. */
(function () {
  var el = document.querySelector("[data-read-time-url]");
  if (!el) { return; }
  var url = el.getAttribute("data-read-time-url");
  var token = el.getAttribute("data-csrf");
  var visible = document.visibilityState === "visible";
  var last = Date.now();
  var pending = 0;
  function count() {
    var now = Date.now();
    if (visible) { pending += (now - last) / 1000; }
    last = now;
  }
  function send(leaving) {
    count();
    var seconds = Math.min(Math.floor(pending), 120);
    if (seconds < 1) { return; }
    pending -= seconds;
    var data = new FormData();
    data.append("seconds", String(seconds));
    data.append("csrfmiddlewaretoken", token);
    if (leaving && navigator.sendBeacon) { navigator.sendBeacon(url, data); return; }
    fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": token } });
  }
  setInterval(function () { send(false); }, 15000);
  document.addEventListener("visibilitychange", function () {
    count();
    visible = document.visibilityState === "visible";
    if (!visible) { send(true); }
  });
  window.addEventListener("pagehide", function () { send(true); });
})();
