/* The QR scanner (/scan/): the camera's picture is read by the browser's BarcodeDetector where there is one, by the
   vendored jsQR otherwise. A code that points to a page of this platform opens it (a meeting's check-in, a deputy's
   page); any other address is shown, never opened. */
(function () {
  "use strict";

  var box = document.querySelector("[data-testid=scanner]");
  if (!box) return;
  var video = box.querySelector("video");
  var canvas = box.querySelector("canvas");
  var status = box.querySelector(".scanner-status");
  var start = box.querySelector(".scanner-start");
  var origin = box.getAttribute("data-origin");
  var detector = null;
  var done = false;

  function ours(text) {
    try {
      var url = new URL(text, origin);
      return url.origin === origin ? url : null;
    } catch (e) {
      return null;
    }
  }

  function found(text) {
    var url = ours(text);
    if (url) {
      done = true;
      status.textContent = url.pathname;
      if (video.srcObject) video.srcObject.getTracks().forEach(function (t) { t.stop(); });
      window.location.assign(url.href);
    } else {
      status.textContent = box.getAttribute("data-not-ours") + " " + text.slice(0, 200);
    }
  }

  async function readFrame() {
    if (done || video.readyState < 2) return;
    if (detector) {
      var codes = await detector.detect(video);
      if (codes.length) found(codes[0].rawValue);
      return;
    }
    if (!window.jsQR) return;
    var width = video.videoWidth;
    var height = video.videoHeight;
    var scale = Math.min(1, 640 / Math.max(width, height));
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    var ctx = canvas.getContext("2d", {willReadFrequently: true});
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    var image = ctx.getImageData(0, 0, canvas.width, canvas.height);
    var code = window.jsQR(image.data, image.width, image.height, {inversionAttempts: "dontInvert"});
    if (code && code.data) found(code.data);
  }

  function loop() {
    if (done) return;
    readFrame().catch(function () {}).then(function () { setTimeout(loop, 200); });
  }

  async function open() {
    start.hidden = true;
    try {
      if ("BarcodeDetector" in window) {
        var formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.indexOf("qr_code") >= 0) detector = new window.BarcodeDetector({formats: ["qr_code"]});
      }
      var stream = await navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false});
      video.srcObject = stream;
      await video.play();
      status.textContent = "";
      loop();
    } catch (e) {
      status.textContent = box.getAttribute("data-no-camera");
      start.hidden = false;
    }
  }

  start.addEventListener("click", open);
  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    open();
  } else {
    status.textContent = box.getAttribute("data-no-camera");
  }
})();
