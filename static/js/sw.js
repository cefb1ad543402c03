// Service worker of the offline inspections (served by Django at /sw.js, scope /).
// - app shell (CSS, JS, icons) cached at install, refreshed in the background;
// - inspection form pages, the outbox and boards (a campaign's targets): network first, the
//   cached copy when offline, marked as an offline copy with the time it was saved;
// - a board opened online is kept with the inspection forms of the officer's own targets;
// - Background Sync: sends the outbox (static/js/outbox.js) when the connection returns.
// Every page kept here is the logged-in officer's: logging in or out drops them all, and none
// is kept longer than KEEP_MS nor more than MAX_PAGES of them (the oldest go first).
"use strict";
var CACHE_PREFIX = "wp-inspections-";
var CACHE = CACHE_PREFIX + "__CACHE_VERSION__";
var SHELL = "__SHELL_ASSETS__";
var OUTBOX_URL = "__OUTBOX_URL__";
var FORM_URL = "__FORM_URL__";
var LOGIN_URL = "__LOGIN_URL__";
var LOGOUT_URL = "__LOGOUT_URL__";
// [{page: "/campaigns/{pk}/", list: "/campaigns/{pk}/offline-pages/"}]: the list (JSON) names
// the form pages to keep with the page.
var BOARDS = "__BOARDS__";
var SYNC_TAG = "inspection-outbox";

var KEEP_MS = "__KEEP_DAYS__" * 24 * 60 * 60 * 1000;
var MAX_PAGES = "__MAX_PAGES__";
var FORM_FRESH_MS = 10 * 60 * 1000; // a kept form younger than this is not fetched again
var BOARD_FRESH_MS = 60 * 1000; // the board the worker itself just cached on the way in
// Pages say they are an offline copy only when served from here (jinja2/partials/offline_copy.html).
var OFFLINE_MARK = "data-offline-copy hidden";

importScripts("__OUTBOX_SCRIPT__");
self.WPOutbox.configure({ keepDays: "__KEEP_DAYS__" });

function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
BOARDS.forEach(function (board) {
  board.regexp = new RegExp("^" + escapeRegExp(board.page).replace("\\{pk\\}", "(\\d+)") + "$");
});

// The board a URL is, if any: {board, pk}.
function boardOf(url) {
  if (url.search) { return null; }
  for (var i = 0; i < BOARDS.length; i++) {
    var match = BOARDS[i].regexp.exec(url.pathname);
    if (match) { return { board: BOARDS[i], pk: match[1] }; }
  }
  return null;
}

function isFormPage(url) {
  return url.pathname === FORM_URL && url.searchParams.has("business");
}

// Pages kept for offline use: the outbox, forms opened online (/inspections/new/?business=)
// and boards (their lists are kept too, to know which forms came with them).
function isOfflinePage(url) {
  return url.pathname === OUTBOX_URL || isFormPage(url) || boardOf(url) !== null;
}

function isShell(url) {
  return SHELL.indexOf(url.pathname) !== -1;
}

function savedAt(response) {
  return (response && Date.parse(response.headers.get("Date") || "")) || 0;
}

function fetchOwn(url, accept) {
  // Only the logged-in officer's own page: a redirect (to the login page) is never followed.
  return fetch(url, {
    credentials: "same-origin", redirect: "manual", cache: "no-store", headers: accept ? { Accept: accept } : {},
  });
}

function storePage(cache, url) {
  return fetchOwn(url).then(function (response) {
    // Only a real page: never a redirect to the login page or an error.
    if (response.ok && response.type === "basic") { return cache.put(url, response).then(function () { return true; }); }
    return false;
  }).catch(function () { return false; /* offline: the page is cached on the next visit */ });
}

// Stores the page unless the cache has a copy younger than `freshMs`.
function refreshPage(cache, url, freshMs) {
  return cache.match(url).then(function (hit) {
    if (hit && Date.now() - savedAt(hit) < freshMs) { return true; }
    return storePage(cache, url);
  });
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

function isPageRequest(request) {
  return new URL(request.url).pathname.indexOf("/static/") !== 0;
}

// Cached pages carry the business owner's name and the officer's targets: keep them no longer
// than KEEP_MS, and drop them all on login and logout.
function dropOldPages(all) {
  return caches.open(CACHE).then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(requests.filter(isPageRequest).map(function (request) {
        if (all === true) { return cache.delete(request); }
        return cache.match(request).then(function (response) {
          var date = savedAt(response);
          if (!date || Date.now() - date > KEEP_MS) { return cache.delete(request); }
        });
      }));
    });
  });
}

// At most MAX_PAGES pages: the oldest go first (the outbox page stays).
function trimPages(cache) {
  return cache.keys().then(function (requests) {
    var pages = requests.filter(function (r) { return isPageRequest(r) && new URL(r.url).pathname !== OUTBOX_URL; });
    if (pages.length <= MAX_PAGES) { return; }
    return Promise.all(pages.map(function (request) {
      return cache.match(request).then(function (response) { return { request: request, date: savedAt(response) }; });
    })).then(function (dated) {
      dated.sort(function (a, b) { return a.date - b.date; });
      return Promise.all(dated.slice(0, dated.length - MAX_PAGES).map(function (d) { return cache.delete(d.request); }));
    });
  });
}

// --- boards: a campaign's targets, kept with the inspection forms they lead to ---------------

function listUrl(found) {
  return new URL(found.board.list.replace("{pk}", found.pk), self.location.href).href;
}

function keptList(cache, url) {
  return cache.match(url).then(function (hit) {
    return hit ? hit.json().catch(function () { return null; }) : null;
  });
}

// The forms a list names, as same-origin form URLs (never anything else).
function formsOf(data) {
  return ((data && data.pages) || []).map(function (page) { return new URL(page, self.location.href); })
    .filter(function (url) { return url.origin === self.location.origin && isFormPage(url); })
    .slice(0, MAX_PAGES)
    .map(function (url) { return url.href; });
}

// Keeps the board `pageUrl` and the forms its list names; drops the forms no longer listed
// (inspected or handed to another officer since) and everything when the board is not under
// way anymore. Resolves with {count, total} or null when nothing could be learnt (offline,
// logged out, server trouble: the copies stay as they are).
function keepBoard(pageUrl) {
  var found = boardOf(pageUrl);
  if (!found) { return Promise.resolve(null); }
  var list = listUrl(found);
  return caches.open(CACHE).then(function (cache) {
    return fetchOwn(list, "application/json").then(function (response) {
      // Not (or no longer) this officer's board to keep: its copies go.
      if (response.status === 404 || response.status === 403) { return { data: { active: false }, response: null }; }
      if (!response.ok || response.type !== "basic") { return null; }
      return response.clone().json().then(function (data) { return { data: data, response: response }; });
    }).then(function (fresh) {
      if (!fresh) { return null; }
      var data = fresh.data;
      return keptList(cache, list).then(function (before) {
        var wanted = data.active ? formsOf(data) : [];
        var gone = formsOf(before).filter(function (href) { return wanted.indexOf(href) === -1; });
        var drop = Promise.all(gone.map(function (href) { return cache.delete(href); }));
        if (!data.active) {
          return drop.then(function () {
            return Promise.all([cache.delete(pageUrl.href), cache.delete(list)]);
          }).then(function () { return { count: 0, total: 0 }; });
        }
        return drop.then(function () {
          return Promise.all([
            cache.put(list, fresh.response),
            refreshPage(cache, pageUrl.href, BOARD_FRESH_MS),
            refreshPage(cache, new URL(OUTBOX_URL, self.location.href).href, KEEP_MS / 2),
          ]);
        }).then(function () {
          // One form after the other: the server is not flooded by a phone.
          var kept = 0;
          return wanted.reduce(function (chain, href) {
            return chain.then(function () {
              return refreshPage(cache, href, FORM_FRESH_MS).then(function (ok) { if (ok) { kept += 1; } });
            });
          }, Promise.resolve()).then(function () { return kept; });
        }).then(function (kept) {
          return trimPages(cache).then(function () { return { count: kept, total: data.total || wanted.length }; });
        });
      });
    }).catch(function () { return null; });
  });
}

// --- serving pages ----------------------------------------------------------------------

// The cached copy of a page, marked as an offline copy; nothing when older than KEEP_MS.
function cachedPage(cache, href) {
  return cache.match(href).then(function (hit) {
    if (!hit) { return null; }
    if (new URL(href).pathname !== OUTBOX_URL && Date.now() - savedAt(hit) > KEEP_MS) {
      return cache.delete(href).then(function () { return null; });
    }
    return hit.text().then(function (html) {
      var headers = new Headers(hit.headers);
      headers.delete("Content-Length");
      return new Response(html.split(OFFLINE_MARK).join("data-offline-copy"), {
        status: hit.status, statusText: hit.statusText, headers: headers,
      });
    });
  });
}

function networkFirstPage(request) {
  var url = new URL(request.url);
  return fetch(request).then(function (response) {
    if (isOfflinePage(url) && response.ok && response.type === "basic" && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) {
        // A board is first kept by keepBoard (which checks it is under way); here only refreshed.
        if (!boardOf(url)) { return cache.put(url.href, copy); }
        return cache.match(url.href).then(function (hit) { if (hit) { return cache.put(url.href, copy); } });
      });
    }
    return response;
  }).catch(function () {
    return caches.open(CACHE).then(function (cache) {
      return cachedPage(cache, url.href).then(function (hit) {
        return hit || cachedPage(cache, new URL(OUTBOX_URL, self.location.href).href);
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
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method === "POST" && request.mode === "navigate" && (url.pathname === LOGIN_URL || url.pathname === LOGOUT_URL)) {
    // Another officer may use this phone next: the pages kept for this one go (the request
    // itself goes to the server untouched).
    event.waitUntil(dropOldPages(true));
    return;
  }
  if (request.method !== "GET") { return; }
  if (request.mode === "navigate") {
    if (url.pathname.indexOf("/inspections/") === 0 || boardOf(url)) { event.respondWith(networkFirstPage(request)); }
    return;
  }
  if (isShell(url)) { event.respondWith(staleWhileRevalidate(request)); }
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var url = typeof data.url === "string" ? new URL(data.url, self.location.href) : null;
  var own = url && url.origin === self.location.origin;
  if (data.type === "cache-page" && own && isOfflinePage(url) && !boardOf(url)) {
    url.hash = "";
    event.waitUntil(caches.open(CACHE).then(function (cache) {
      return Promise.all([
        storePage(cache, url.href),
        refreshPage(cache, new URL(OUTBOX_URL, self.location.href).href, KEEP_MS / 2),
      ]).then(function () { return trimPages(cache); });
    }).then(dropOldPages));
  } else if (data.type === "cache-board" && own && boardOf(url)) {
    url.hash = "";
    var source = event.source;
    event.waitUntil(keepBoard(url).then(function (result) {
      if (source && result) {
        source.postMessage({ type: "board-kept", url: url.href, count: result.count, total: result.total });
      }
    }).then(dropOldPages));
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
