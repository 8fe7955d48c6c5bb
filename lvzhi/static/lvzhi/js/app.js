/* The members' app on the phone: the service worker, the offline banner, offline drafts sent exactly once when the
   signal returns, photos made smaller before upload, the install prompt, and logout leaving nothing behind.

   Offline drafts: a form marked data-offline-draft that is submitted without signal is kept in IndexedDB, encrypted
   (AES-GCM) with the user's draft key from /app/draft-key (kept on the phone as a non-extractable key, labelled with
   the user's owner tag). When the signal returns it is posted with its own Idempotency-Key, so a retry never files
   twice (lvzhi.core.idempotency). Drafts of another user are deleted unread; logout deletes them all. */
(function () {
  "use strict";

  var body = document.body;
  var strings = document.getElementById("app-strings");
  var owner = body.getAttribute("data-app-owner");
  var secure = window.isSecureContext && window.crypto && window.crypto.subtle && window.indexedDB;

  function say(name, values) {
    var text = (strings && strings.getAttribute("data-" + name)) || "";
    Object.keys(values || {}).forEach(function (k) {
      text = text.replace("%(" + k + ")s", values[k]);
    });
    return text;
  }

  function notice(lines) {
    var box = document.querySelector("[data-testid=sync-notice]");
    if (!box || !lines.length) return;
    box.textContent = "";
    lines.forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      box.appendChild(p);
    });
    box.hidden = false;
    if (box.scrollIntoView) box.scrollIntoView({block: "nearest"});
  }

  /* ---- the service worker ---- */
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function () {});
  }

  /* ---- offline banner ---- */
  function age(ms) {
    var minutes = Math.max(1, Math.round(ms / 60000));
    return minutes < 60 ? say("minutes", {n: minutes}) : say("hours", {n: Math.round(minutes / 60)});
  }

  function showBanner() {
    var banner = document.querySelector(".offline-banner");
    if (!banner || body.hasAttribute("data-offline-page")) return;
    var keptAt = Number(body.getAttribute("data-offline-copy") || 0);
    if (keptAt) {
      banner.textContent = say("copy", {age: age(Date.now() - keptAt)});
      banner.hidden = false;
    } else if (!navigator.onLine) {
      banner.textContent = say("offline");
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
  }

  /* ---- IndexedDB ---- */
  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open("lvzhi", 1);
      req.onupgradeneeded = function () {
        req.result.createObjectStore("keys", {keyPath: "owner"});
        req.result.createObjectStore("drafts", {keyPath: "id"});
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function store(db, name, mode, action) {
    return new Promise(function (resolve, reject) {
      var tx = db.transaction(name, mode);
      var req = action(tx.objectStore(name));
      tx.oncomplete = function () { resolve(req && req.result); };
      tx.onerror = function () { reject(tx.error); };
    });
  }

  function fromBase64(text) {
    var raw = atob(text);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function toBase64(buffer) {
    var bytes = new Uint8Array(buffer);
    var text = "";
    for (var i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(text);
  }

  async function draftKey(db) {
    var kept = await store(db, "keys", "readonly", function (s) { return s.get(owner); });
    if (kept) return kept.key;
    if (!navigator.onLine) return null;
    var resp = await fetch("/app/draft-key", {credentials: "same-origin", headers: {Accept: "application/json"}});
    if (!resp.ok) return null;
    var data = await resp.json();
    if (data.owner !== owner) return null;
    var key = await crypto.subtle.importKey("raw", fromBase64(data.key), {name: "AES-GCM"}, false, ["encrypt", "decrypt"]);
    await store(db, "keys", "readwrite", function (s) { return s.put({owner: owner, key: key}); });
    return key;
  }

  function csrfToken() {
    try {
      return JSON.parse(body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function newId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    return toBase64(crypto.getRandomValues(new Uint8Array(18))).replace(/[+/=]/g, "x");
  }

  async function keepDraft(form, submitter) {
    var db = await openDb();
    var key = await draftKey(db);
    if (!key) return false;
    var fields = [];
    var data;
    try {
      data = new FormData(form, submitter); // with the pressed button's name and value (submit or save as draft)
    } catch (e) {
      data = new FormData(form);
    }
    var title = "";
    for (var entry of data.entries()) {
      var name = entry[0];
      var value = entry[1];
      if (name === "csrfmiddlewaretoken") continue;
      if (value instanceof File) {
        if (value.size) fields.push({name: name, file: value.name, type: value.type, data: toBase64(await value.arrayBuffer())});
      } else {
        fields.push({name: name, value: value});
        if (name === "title" && value) title = value;
      }
    }
    var iv = crypto.getRandomValues(new Uint8Array(12));
    var plain = new TextEncoder().encode(JSON.stringify({fields: fields, title: title || form.getAttribute("data-offline-draft")}));
    var secret = await crypto.subtle.encrypt({name: "AES-GCM", iv: iv}, key, plain);
    var draft = {id: newId(), owner: owner, action: form.action, iv: iv, data: secret, created: Date.now(), state: "waiting"};
    await store(db, "drafts", "readwrite", function (s) { return s.put(draft); });
    return true;
  }

  async function openDraft(db, key, draft) {
    var plain = await crypto.subtle.decrypt({name: "AES-GCM", iv: draft.iv}, key, draft.data);
    return JSON.parse(new TextDecoder().decode(plain));
  }

  var syncing = false;

  async function syncDrafts() {
    if (syncing || !navigator.onLine || !owner || !secure) return;
    syncing = true;
    var lines = [];
    try {
      var db = await openDb();
      var drafts = await store(db, "drafts", "readonly", function (s) { return s.getAll(); });
      if (!drafts.length) return;
      var key = await draftKey(db);
      for (var draft of drafts) {
        if (draft.owner !== owner || !key) {
          if (draft.owner !== owner) await store(db, "drafts", "readwrite", function (s) { return s.delete(draft.id); });
          continue;
        }
        if (draft.state !== "waiting") continue;
        var content;
        try {
          content = await openDraft(db, key, draft);
        } catch (e) {
          await store(db, "drafts", "readwrite", function (s) { return s.delete(draft.id); });
          continue;
        }
        var form = new FormData();
        content.fields.forEach(function (f) {
          if (f.file !== undefined) form.append(f.name, new Blob([fromBase64(f.data)], {type: f.type}), f.file);
          else form.append(f.name, f.value);
        });
        form.append("csrfmiddlewaretoken", csrfToken());
        var resp;
        try {
          resp = await fetch(draft.action, {
            method: "POST", body: form, credentials: "same-origin",
            headers: {"Idempotency-Key": draft.id, "X-CSRFToken": csrfToken()},
          });
        } catch (e) {
          break; // the signal went again: the rest waits for the next try
        }
        var landed = new URL(resp.url, location.href).pathname;
        if (resp.ok && resp.redirected && landed.indexOf("/accounts/") !== 0) {
          await store(db, "drafts", "readwrite", function (s) { return s.delete(draft.id); });
          lines.push(say("sent", {title: content.title}));
        } else if ((resp.status === 200 || resp.status === 400) && !resp.redirected) {
          draft.state = "fix";
          await store(db, "drafts", "readwrite", function (s) { return s.put(draft); });
          lines.push(say("fix", {title: content.title}));
        } else {
          break; // signed out or refused for now: kept, tried again on a later page
        }
      }
    } catch (e) {
      /* storage unavailable: nothing to send */
    } finally {
      syncing = false;
      notice(lines);
    }
  }

  /* A draft the server sent back with errors: offered again on the form it came from. */
  async function offerDraftsToFix(form) {
    var db = await openDb();
    var drafts = await store(db, "drafts", "readonly", function (s) { return s.getAll(); });
    var key = await draftKey(db);
    for (var draft of drafts) {
      if (draft.owner !== owner || draft.state !== "fix" || draft.action !== form.action || !key) continue;
      var content = await openDraft(db, key, draft);
      content.fields.forEach(function (f) {
        var input = form.elements[f.name];
        if (input && f.file === undefined && input.type !== "file") input.value = f.value;
      });
      await store(db, "drafts", "readwrite", function (s) { return s.delete(draft.id); });
      notice([say("fix", {title: content.title})]);
      return;
    }
  }

  if (owner && secure) {
    document.querySelectorAll("form[data-offline-draft]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (navigator.onLine) return;
        event.preventDefault();
        keepDraft(form, event.submitter).then(function (ok) {
          if (ok) {
            form.reset();
            notice([say("kept")]);
          }
        });
      });
      offerDraftsToFix(form).catch(function () {});
    });
    if (navigator.onLine) {
      openDb().then(draftKey).catch(function () {}); // fetched now, for writing later without signal
      syncDrafts();
    }
  }

  window.addEventListener("online", function () { showBanner(); syncDrafts(); });
  window.addEventListener("offline", showBanner);
  showBanner();

  /* ---- logout leaves nothing of this user on the phone ---- */
  async function forgetEverything() {
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({type: "logout"});
    }
    if (window.caches) {
      var names = await caches.keys();
      await Promise.all(names.filter(function (n) { return n === "lvzhi-pages"; }).map(function (n) { return caches.delete(n); }));
    }
    if (window.indexedDB) {
      await new Promise(function (resolve) {
        var req = indexedDB.deleteDatabase("lvzhi");
        req.onsuccess = req.onerror = req.onblocked = function () { resolve(); };
      });
    }
  }

  async function unsentDrafts() {
    if (!secure) return 0;
    var db = await openDb();
    var drafts = await store(db, "drafts", "readonly", function (s) { return s.getAll(); });
    return drafts.filter(function (d) { return d.owner === owner; }).length;
  }

  document.querySelectorAll("form[action$='/accounts/logout/']").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-forgotten")) return;
      event.preventDefault();
      var done = function () { form.setAttribute("data-forgotten", "1"); form.submit(); };
      var forget = function () {
        Promise.race([forgetEverything(), new Promise(function (r) { setTimeout(r, 1500); })]).then(done, done);
      };
      unsentDrafts().catch(function () { return 0; }).then(function (n) {
        if (n && !window.confirm(say("unsent", {n: n}))) return; // staying signed in keeps them
        forget();
      });
    });
  });

  /* ---- photos are made smaller on the phone before upload (and lose their location data on the way) ---- */
  var MAX_SIDE = 1600;

  async function smaller(file) {
    if (!/^image\/(jpeg|png|webp|heic|heif)$/.test(file.type) || !window.createImageBitmap) return file;
    var bitmap = await createImageBitmap(file);
    var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    if (scale === 1 && file.size < 1024 * 1024) return file;
    var canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    var blob = await new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.85); });
    if (!blob || blob.size >= file.size) return file;
    return new File([blob], file.name.replace(/\.[^.]+$/, "") + ".jpg", {type: "image/jpeg"});
  }

  document.querySelectorAll("input[type=file][accept*='image']").forEach(function (input) {
    input.addEventListener("change", async function () {
      if (!window.DataTransfer || !input.files.length) return;
      var list = new DataTransfer();
      for (var file of input.files) list.items.add(await smaller(file));
      input.files = list.files;
      input.setAttribute("data-resized", "1");
    });
  });

  /* ---- the install prompt: offered once, on the home page ---- */
  var slot = document.querySelector("[data-install-slot]");
  if (slot) {
    window.addEventListener("beforeinstallprompt", function (event) {
      event.preventDefault();
      try {
        if (localStorage.getItem("lvzhi.install.offered")) return;
        localStorage.setItem("lvzhi.install.offered", "1");
      } catch (e) {
        return;
      }
      var install = document.createElement("button");
      install.type = "button";
      install.className = "button";
      install.textContent = say("install");
      var later = document.createElement("button");
      later.type = "button";
      later.className = "linklike";
      later.textContent = say("later");
      install.addEventListener("click", function () { event.prompt(); slot.hidden = true; });
      later.addEventListener("click", function () { slot.hidden = true; });
      slot.appendChild(install);
      slot.appendChild(later);
      slot.hidden = false;
    });
  }
})();
