// A stand-in for Jitsi's external_api.js for tests and the test provider (no network): draws a box in place of
// the room, then fires the same events Jitsi fires: "videoConferenceJoined" at once, "videoConferenceLeft" when
// the box's leave button is pressed.
(function () {
  "use strict";
  function FakeApi(domain, options) {
    var listeners = {};
    this.addListener = function (name, fn) { (listeners[name] = listeners[name] || []).push(fn); };
    function fire(name, data) { (listeners[name] || []).forEach(function (fn) { fn(data || {}); }); }
    var box = document.createElement("div");
    box.setAttribute("data-testid", "fake-room");
    box.setAttribute("data-room", options.roomName);
    box.setAttribute("data-jwt", options.jwt);
    box.textContent = options.roomName + " @ " + domain;
    var leave = document.createElement("button");
    leave.type = "button";
    leave.className = "button secondary";
    leave.setAttribute("data-testid", "fake-leave");
    leave.textContent = "×";
    leave.addEventListener("click", function () { fire("videoConferenceLeft", { roomName: options.roomName }); });
    box.appendChild(leave);
    options.parentNode.appendChild(box);
    setTimeout(function () { fire("videoConferenceJoined", { roomName: options.roomName }); }, 50);
  }
  window.JitsiMeetExternalAPI = FakeApi;
})();
