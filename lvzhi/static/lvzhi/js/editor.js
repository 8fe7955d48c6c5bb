// The article editor: turns a textarea inside [data-rich-text] into a small rich-text editor (paragraphs, two
// heading levels, bold, italic, lists, quotes, tables, links, images uploaded through the upload checker).
// It produces only the tags and attributes its widget lists (data-tags, data-attributes: the sanitiser's
// allow-list), cleaning its own content on every change, so what it sends is what the server keeps.
// Without script the textarea stays: paragraphs separated by an empty line. No inline script or style (CSP).
(function () {
  "use strict";

  var RENAME = { B: "strong", I: "em", DIV: "p", H1: "h2", H4: "h3", H5: "h3", H6: "h3" };
  var DROP = { SCRIPT: 1, STYLE: 1, IFRAME: 1, OBJECT: 1, EMBED: 1, NOSCRIPT: 1, TEMPLATE: 1, TEXTAREA: 1,
    SELECT: 1, BUTTON: 1, INPUT: 1, META: 1, LINK: 1, TITLE: 1, HEAD: 1 };
  var BLOCKS = { p: 1, h2: 1, h3: 1, ul: 1, ol: 1, blockquote: 1, table: 1 };
  var SAFE_URL = /^(https?:\/\/|mailto:|\/(?!\/)|#)/i;

  function rules(root) {
    var tags = {};
    root.getAttribute("data-tags").split(" ").forEach(function (t) { if (t) { tags[t] = 1; } });
    var attributes = {};
    root.getAttribute("data-attributes").split(" ").forEach(function (spec) {
      var parts = spec.split(":");
      if (parts.length === 2) { attributes[parts[0]] = parts[1].split(","); }
    });
    return { tags: tags, attributes: attributes, image: new RegExp(root.getAttribute("data-image-pattern")) };
  }

  function allowedValue(r, tag, name, value) {
    if (tag === "img" && name === "src") { return r.image.test(value) ? value : null; }
    if (tag === "a" && name === "href") { return SAFE_URL.test(value.trim()) ? value.trim() : null; }
    return value;
  }

  // Copy `source`'s children into `target` keeping only the allowed tags and attributes (others are unwrapped).
  function cleanInto(r, source, target, doc) {
    Array.prototype.forEach.call(source.childNodes, function (node) {
      if (node.nodeType === 3) { target.appendChild(doc.createTextNode(node.nodeValue)); return; }
      if (node.nodeType !== 1 || DROP[node.nodeName]) { return; }
      var name = RENAME[node.nodeName] || node.nodeName.toLowerCase();
      if (!r.tags[name]) { cleanInto(r, node, target, doc); return; }
      var element = doc.createElement(name);
      (r.attributes[name] || []).forEach(function (attr) {
        var value = node.getAttribute(attr);
        value = value === null ? null : allowedValue(r, name, attr, value);
        if (value !== null) { element.setAttribute(attr, value); }
      });
      if (name === "img" && !element.getAttribute("src")) { return; }
      cleanInto(r, node, element, doc);
      target.appendChild(element);
    });
  }

  // Loose text and inline elements at the top level go into paragraphs; empty paragraphs are dropped.
  function paragraphs(container, doc) {
    var run = null;
    Array.prototype.slice.call(container.childNodes).forEach(function (node) {
      var block = node.nodeType === 1 && BLOCKS[node.nodeName.toLowerCase()];
      if (block) { run = null; return; }
      if (node.nodeType === 1 && node.nodeName === "BR" && run === null) { container.removeChild(node); return; }
      if (run === null) { run = doc.createElement("p"); container.insertBefore(run, node); }
      run.appendChild(node);
    });
    Array.prototype.slice.call(container.querySelectorAll("p, h2, h3, li, blockquote")).forEach(function (el) {
      if (!el.textContent.trim() && !el.querySelector("img") && el.parentNode === container) {
        container.removeChild(el);
      }
    });
  }

  function cleanHtml(r, html) {
    var parsed = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");  // inert: runs nothing
    var out = document.createElement("div");
    cleanInto(r, parsed.body, out, document);
    paragraphs(out, document);
    return out.innerHTML;
  }

  function textToHtml(text) {
    return text.split(/\n\s*\n/).filter(function (p) { return p.trim(); }).map(function (p) {
      var el = document.createElement("p");
      el.textContent = p.trim();
      return el.outerHTML.replace(/\n/g, "<br>");
    }).join("");
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function init(root) {
    var r = rules(root);
    var textarea = root.querySelector("textarea");
    var toolbar = root.querySelector(".rte-toolbar");
    var error = root.querySelector(".rte-error");
    var form = textarea.form;
    var area = document.createElement("div");
    area.className = "rte-area";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    area.setAttribute("data-testid", "editor");
    if (textarea.id) {
      var label = document.querySelector("label[for='" + textarea.id + "']");
      if (label) { area.setAttribute("aria-label", label.textContent.trim()); }
    }
    var start = textarea.value.indexOf("<") === -1 ? textToHtml(textarea.value) : textarea.value;
    area.innerHTML = cleanHtml(r, start) || "<p><br></p>";
    textarea.hidden = true;
    toolbar.hidden = false;
    var note = root.querySelector(".rte-note");
    if (note) { note.hidden = false; }
    textarea.parentNode.insertBefore(area, textarea);

    function sync() { textarea.value = cleanHtml(r, area.innerHTML); }
    function command(name, value) {
      area.focus();
      document.execCommand(name, false, value);
      sync();
    }
    function showError(message) {
      error.textContent = message || "";
      error.hidden = !message;
    }

    document.execCommand("defaultParagraphSeparator", false, "p");
    document.execCommand("styleWithCSS", false, false);
    area.addEventListener("input", sync);
    area.addEventListener("blur", sync);
    area.addEventListener("paste", function (event) {
      var data = event.clipboardData;
      if (!data) { return; }
      event.preventDefault();
      var html = data.getData("text/html");
      command("insertHTML", html ? cleanHtml(r, html) : textToHtml(data.getData("text/plain")));
    });
    toolbar.addEventListener("mousedown", function (event) {
      if (event.target.closest("button")) { event.preventDefault(); }  // keep the selection in the text
    });
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) { return; }
      if (button.hasAttribute("data-block")) {
        command("formatBlock", "<" + button.getAttribute("data-block") + ">");
      } else if (button.hasAttribute("data-command")) {
        command(button.getAttribute("data-command"));
      } else if (button.hasAttribute("data-table")) {
        command("insertHTML", "<table><thead><tr><th><br></th><th><br></th></tr></thead>" +
          "<tbody><tr><td><br></td><td><br></td></tr><tr><td><br></td><td><br></td></tr></tbody></table><p><br></p>");
      } else if (button.hasAttribute("data-link")) {
        var url = window.prompt(button.getAttribute("data-prompt"), "https://");
        if (url && SAFE_URL.test(url.trim())) { command("createLink", url.trim()); }
      } else if (button.hasAttribute("data-image")) {
        root.querySelector("[data-image-file]").click();
      }
    });
    var file = root.querySelector("[data-image-file]");
    if (file) {
      file.addEventListener("change", function () {
        if (!file.files.length) { return; }
        var body = new FormData();
        body.append("file", file.files[0]);
        var version = form.querySelector("input[name=version]");
        if (version) { body.append("version", version.value); }
        showError("");
        fetch(root.getAttribute("data-upload-url"), {
          method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken(form) }
        }).then(function (response) {
          return response.json();
        }).then(function (data) {
          file.value = "";
          if (!data.src) { showError(data.error); return; }
          if (version && data.version !== undefined) { version.value = data.version; }
          var img = document.createElement("img");
          img.setAttribute("src", data.src);
          img.setAttribute("alt", data.alt || "");
          command("insertHTML", img.outerHTML);
        }).catch(function () { showError(root.getAttribute("data-upload-failed") || ""); });
      });
    }
    if (form) { form.addEventListener("submit", sync); }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-rich-text]"), init);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
