// Service worker of the inspection pages (served by Django at /sw.js, scope /inspections/).
// - app shell (CSS, JS, icons) cached at install, refreshed in the background;
// - inspection form pages and the outbox: network first, the cached copy when offline;
// - Background Sync: sends the outbox (static/js/outbox.js) when the connection returns.
"use strict";
var CACHE_PREFIX = "wp-inspections-";
var CACHE = CACHE_PREFIX + "__CACHE_VERSION__";
var SHELL = "__SHELL_ASSETS__";
var OUTBOX_URL = "__OUTBOX_URL__";
var SYNC_TAG = "inspection-outbox";

var KEEP_MS = "__KEEP_DAYS__" * 24 * 60 * 60 * 1000;

importScripts("__OUTBOX_SCRIPT__");
self.WPOutbox.configure({ keepDays: "__KEEP_DAYS__" });

// Pages kept for offline use: the outbox and forms opened online (/inspections/new/?business=).
function isOfflinePage(url) {
  return url.pathname === OUTBOX_URL || (url.pathname === "/inspections/new/" && url.searchParams.has("business"));
}

function storePage(cache, url) {
  return fetch(url, { credentials: "same-origin", redirect: "manual", cache: "no-store" }).then(function (response) {
    // Only a real page: never a redirect to the login page or an error.
    if (response.ok && response.type === "basic") { return cache.put(url, response); }
  }).catch(function () { /* offline at install: the page is cached on the next visit */ });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return cache.addAll(SHELL).then(function () { return storePage(cache, OUTBOX_URL); });
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(CACHE_PREFIX) === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(dropOldPages).then(function () { return self.clients.claim(); })
  );
});

// Cached form pages carry the business owner's name: keep them no longer than KEEP_MS,
// and drop them all on logout.
function dropOldPages(all) {
  return caches.open(CACHE).then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(requests.map(function (request) {
        if (new URL(request.url).pathname.indexOf("/static/") === 0) { return null; }
        if (all === true) { return cache.delete(request); }
        return cache.match(request).then(function (response) {
          var date = response && Date.parse(response.headers.get("Date") || "");
          if (!date || Date.now() - date > KEEP_MS) { return cache.delete(request); }
        });
      }));
    });
  });
}

function networkFirstPage(request) {
  var url = new URL(request.url);
  return fetch(request).then(function (response) {
    if (isOfflinePage(url) && response.ok && response.type === "basic" && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(url.href, copy); });
    }
    return response;
  }).catch(function () {
    return caches.open(CACHE).then(function (cache) {
      return cache.match(url.href).then(function (hit) {
        return hit || cache.match(OUTBOX_URL);
      });
    }).then(function (hit) {
      return hit || new Response("Không có kết nối mạng.", {
        status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" },
      });
    });
  });
}

function staleWhileRevalidate(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok) { cache.put(request, response.clone()); }
        return response;
      });
      if (hit) { fresh.catch(function () { /* offline: the cached copy serves */ }); return hit; }
      return fresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    if (url.pathname.indexOf("/inspections/") === 0) { event.respondWith(networkFirstPage(request)); }
    return;
  }
  if (url.pathname.indexOf("/static/") === 0) { event.respondWith(staleWhileRevalidate(request)); }
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "cache-page" && typeof data.url === "string") {
    var url = new URL(data.url, self.location.href);
    if (url.origin === self.location.origin && isOfflinePage(url)) {
      event.waitUntil(caches.open(CACHE).then(function (cache) { return storePage(cache, url.href); }).then(dropOldPages));
    }
  } else if (data.type === "clear-pages") {
    event.waitUntil(dropOldPages(true));
  } else if (data.type === "send-outbox") {
    event.waitUntil(self.WPOutbox.sendAll({ force: true }));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag === SYNC_TAG) {
    // Rejecting lets the browser retry the sync later with its own backoff.
    event.waitUntil(self.WPOutbox.sendAll({ force: true }).then(function (results) {
      return self.WPOutbox.all().then(function (entries) {
        if (entries.some(function (e) { return e.state === "pending"; }) && results.length) {
          throw new Error("outbox not empty");
        }
      });
    }));
  }
});
