/* Lvzhi's service worker, served as /sw.js by lvzhi.web.pwa (which fills in the placeholders).

   - The app shell (styles, scripts, icons, the offline page) is cached at install; other static files on first use.
   - Pages the member opens are kept for reading without signal, for this session only: every page answer carries
     X-Lvzhi-Session, and a new value (a new login, another user) or a login page drops everything kept. Kept copies
     older than the session lifetime are never shown. Logout clears it all (Clear-Site-Data and app.js).
   - Nothing else is kept: no API answer, no file, no back-office or account page, no form post.
*/
"use strict";

const VERSION = "__VERSION__";
const SHELL_CACHE = "lvzhi-shell-" + VERSION;
const PAGE_CACHE = "lvzhi-pages";
const SHELL = __SHELL__;
const OFFLINE_URL = __OFFLINE__;
const MAX_AGE_MS = __MAX_AGE__ * 1000;
const MAX_PAGES = 40;
const NEVER_KEEP = ["/api/", "/accounts/", "/backoffice/", "/media/", "/files/", "/sw.js", "/app/"];
const SESSION_KEY = "/__session__";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((n) => n.startsWith("lvzhi-shell-") && n !== SHELL_CACHE).map((n) => caches.delete(n)))
      )
      .then(() => self.clients.claim())
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "logout") {
    event.waitUntil(caches.delete(PAGE_CACHE));
  }
});

function kept(pathname) {
  return !NEVER_KEEP.some((prefix) => pathname.startsWith(prefix));
}

async function rememberSession(tag) {
  const cache = await caches.open(PAGE_CACHE);
  const previous = await cache.match(SESSION_KEY);
  const known = previous ? await previous.text() : null;
  if (known !== tag) {
    await caches.delete(PAGE_CACHE);
    const fresh = await caches.open(PAGE_CACHE);
    await fresh.put(SESSION_KEY, new Response(tag));
    return fresh;
  }
  return cache;
}

async function keepPage(request, response) {  // `response` is a copy of what the page got
  const tag = response.headers.get("X-Lvzhi-Session");
  if (!tag) {
    // Not signed in (the login page, a public page): whatever was kept belongs to an ended session.
    await caches.delete(PAGE_CACHE);
    return;
  }
  if (!kept(new URL(request.url).pathname)) return;
  const cache = await rememberSession(tag);
  const body = await response.text();
  const headers = new Headers({"Content-Type": "text/html; charset=utf-8", "X-Lvzhi-Kept-At": String(Date.now())});
  await cache.put(request.url, new Response(body, {headers}));
  const keys = (await cache.keys()).filter((r) => !r.url.endsWith(SESSION_KEY));
  for (const old of keys.slice(0, Math.max(0, keys.length - MAX_PAGES))) {
    await cache.delete(old);
  }
}

async function keptCopy(request) {
  const cache = await caches.open(PAGE_CACHE);
  const copy = await cache.match(request.url);
  if (!copy) return null;
  const at = Number(copy.headers.get("X-Lvzhi-Kept-At") || 0);
  if (Date.now() - at > MAX_AGE_MS) {
    await cache.delete(request.url);
    return null;
  }
  const html = (await copy.text()).replace("<body ", '<body data-offline-copy="' + at + '" ');
  return new Response(html, {headers: {"Content-Type": "text/html; charset=utf-8"}});
}

async function navigate(event) {
  const request = event.request;
  try {
    const response = await fetch(request);
    const type = response.headers.get("Content-Type") || "";
    if (response.status === 200 && type.startsWith("text/html")) {
      event.waitUntil(keepPage(request, response.clone())); // cloned now: the page reads the original
    }
    return response;
  } catch (err) {
    return (await keptCopy(request)) || (await caches.match(OFFLINE_URL)) || Response.error();
  }
}

async function staticFile(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(SHELL_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate") {
    event.respondWith(navigate(event));
  }
});
