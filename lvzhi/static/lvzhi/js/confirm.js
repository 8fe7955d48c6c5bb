// A confirmation before submit, withdraw and any irreversible step: a form (or its submit button) carrying
// data-confirm="question" asks first; cancelling sends nothing. No inline script (strict CSP).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
