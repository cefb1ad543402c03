// The outbox of inspections filled without a connection: IndexedDB storage and the sender.
// Runs both in pages (offline.js) and in the service worker (Background Sync), so it only uses
// APIs both have. Every entry is keyed by the form's submission id: the server stores one
// inspection per id, so sending twice (two tabs, a lost answer, a reinstall) is harmless.
(function (root) {
  "use strict";
  var DB_NAME = "ward-police-offline";
  var DB_VERSION = 1;
  var STORE = "outbox";
  var SYNC_URL = "/inspections/sync/";
  var BASE_DELAY_MS = 10 * 1000;
  var MAX_DELAY_MS = 30 * 60 * 1000;
  var SENDING_STALE_MS = 2 * 60 * 1000; // a tab closed while sending: try again after this
  var keepMs = 7 * 24 * 60 * 60 * 1000; // sent entries' summaries; see configure()
  var CHANNEL = "ward-police-outbox";

  var STATE = { PENDING: "pending", SENDING: "sending", SENT: "sent", ERROR: "error" };

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = root.indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains(STORE)) { db.createObjectStore(STORE, { keyPath: "id" }); }
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  // Run `work(store, done)` in one transaction; resolves with what `done` was given.
  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result;
        tx.oncomplete = function () { db.close(); resolve(result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
        work(tx.objectStore(STORE), function (value) { result = value; });
      });
    });
  }

  function all() {
    return withStore("readonly", function (store, done) {
      var request = store.getAll();
      request.onsuccess = function () {
        done(request.result.sort(function (a, b) { return b.createdAt - a.createdAt; }));
      };
    });
  }

  function get(id) {
    return withStore("readonly", function (store, done) {
      var request = store.get(id);
      request.onsuccess = function () { done(request.result || null); };
    });
  }

  // Add a new entry; an id already queued is kept as it is (never queued twice).
  function add(entry) {
    return withStore("readwrite", function (store, done) {
      var request = store.get(entry.id);
      request.onsuccess = function () {
        if (request.result) { done(false); return; }
        store.add(entry);
        done(true);
      };
    }).then(function (added) { notify(); return added; });
  }

  // Read-modify-write in one transaction; `change(entry)` returns the new entry or null (no change).
  function update(id, change) {
    return withStore("readwrite", function (store, done) {
      var request = store.get(id);
      request.onsuccess = function () {
        if (!request.result) { done(null); return; }
        var next = change(request.result);
        if (next) { store.put(next); }
        done(next);
      };
    }).then(function (entry) { if (entry) { notify(); } return entry; });
  }

  function remove(id) {
    return withStore("readwrite", function (store) { store.delete(id); }).then(notify);
  }

  function notify() {
    if (typeof root.BroadcastChannel === "function") {
      try { var channel = new root.BroadcastChannel(CHANNEL); channel.postMessage("changed"); channel.close(); } catch (e) { /* ignore */ }
    }
    if (typeof root.dispatchEvent === "function" && typeof root.CustomEvent === "function") {
      root.dispatchEvent(new root.CustomEvent("outbox-changed"));
    }
  }

  function backoff(attempts) {
    var delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * Math.pow(2, Math.max(0, attempts - 1)));
    return delay + Math.floor(Math.random() * delay * 0.2);
  }

  function due(entry, now, force) {
    if (entry.state === STATE.SENDING) { return now - (entry.sendingSince || 0) > SENDING_STALE_MS; }
    if (entry.state !== STATE.PENDING) { return false; }
    return force || !entry.nextAttemptAt || entry.nextAttemptAt <= now;
  }

  // The CSRF cookie is HttpOnly: ask the server for a token (same-origin JSON, never cached).
  function csrfToken() {
    return root.fetch(SYNC_URL, {
      credentials: "same-origin",
      redirect: "manual",
      cache: "no-store",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      if (!response.ok) { return null; }
      return response.json().then(function (data) { return data.csrf_token || null; });
    });
  }

  function body(entry) {
    var data = new root.FormData();
    (entry.fields || []).forEach(function (pair) { data.append(pair[0], pair[1]); });
    (entry.files || []).forEach(function (file) { data.append(file.field, file.blob, file.filename); });
    return data;
  }

  // What the server's answer means for the entry (a new entry object).
  function settle(entry, outcome) {
    var next = Object.assign({}, entry, { sendingSince: null, lastAttemptAt: Date.now() });
    if (outcome.kind === "stored") {
      next.state = STATE.SENT;
      next.sentAt = Date.now();
      next.inspectionUrl = outcome.data.inspection_url;
      next.message = outcome.data.message || "";
      next.problem = null;
      next.reasons = [];
      // Sent: the answers, photos and signature are on the server; keep only the summary.
      next.fields = [];
      next.files = [];
    } else if (outcome.kind === "refused") {
      next.state = STATE.ERROR;
      next.problem = outcome.status === 409 ? "conflict" : "refused";
      next.message = (outcome.data && outcome.data.message) || "";
      next.reasons = (outcome.data && (outcome.data.reasons || outcome.data.errors)) || [];
    } else {
      // Not reached, logged out, server trouble: keep it queued and try again later.
      next.state = STATE.PENDING;
      next.attempts = (entry.attempts || 0) + 1;
      next.nextAttemptAt = Date.now() + backoff(next.attempts);
      next.problem = outcome.kind; // "offline" | "login" | "server"
    }
    return next;
  }

  function post(entry, token) {
    return root.fetch(SYNC_URL, {
      method: "POST",
      body: body(entry),
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": token || "", Accept: "application/json" },
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (response.type === "opaqueredirect" || response.status === 401 || (response.status === 403 && !json)) {
        return { kind: "login" };
      }
      if (!json) { return { kind: "server" }; }
      return response.json().then(function (data) {
        if (response.status === 200 || response.status === 201) { return { kind: "stored", data: data }; }
        if ([400, 403, 404, 409].indexOf(response.status) !== -1) {
          return { kind: "refused", status: response.status, data: data };
        }
        return { kind: "server" };
      });
    }, function () { return { kind: "offline" }; });
  }

  function sendOne(id, token, now, force) {
    return update(id, function (entry) {
      if (!due(entry, now, force)) { return null; }
      return Object.assign({}, entry, { state: STATE.SENDING, sendingSince: Date.now() });
    }).then(function (claimed) {
      if (!claimed) { return null; }
      return post(claimed, token).then(function (outcome) {
        return update(id, function (entry) { return settle(entry, outcome); });
      });
    });
  }

  function sendDue(options) {
    var force = !!(options && options.force);
    var now = Date.now();
    return all().then(function (entries) {
      var ids = entries.filter(function (e) { return due(e, now, force); }).map(function (e) { return e.id; });
      if (!ids.length) { return []; }
      return csrfToken().catch(function () { return null; }).then(function (token) {
        var results = [];
        return ids.reduce(function (chain, id) {
          return chain.then(function () {
            return sendOne(id, token, now, force).then(function (r) { results.push(r); });
          });
        }, Promise.resolve()).then(function () { return results; });
      });
    });
  }

  // One sender at a time across tabs and the service worker (the server dedupes anyway).
  function sendAll(options) {
    var locks = root.navigator && root.navigator.locks;
    var run = function () { return purge().then(function () { return sendDue(options); }); };
    if (locks && typeof locks.request === "function") {
      return locks.request("ward-police-outbox-send", run);
    }
    return run();
  }

  function purge() {
    var limit = Date.now() - keepMs;
    return all().then(function (entries) {
      var old = entries.filter(function (e) { return e.state === STATE.SENT && e.sentAt < limit; });
      return Promise.all(old.map(function (e) { return remove(e.id); }));
    });
  }

  function retry(id) {
    return update(id, function (entry) {
      if (entry.state === STATE.SENT) { return null; }
      return Object.assign({}, entry, { state: STATE.PENDING, attempts: 0, nextAttemptAt: 0, problem: null });
    });
  }

  function configure(options) {
    var days = Number(options && options.keepDays);
    if (days > 0) { keepMs = days * 24 * 60 * 60 * 1000; }
  }

  // Logout: everything on this phone goes (the caller asks first when some are unsent).
  function clear() {
    return withStore("readwrite", function (store) { store.clear(); }).then(notify);
  }

  root.WPOutbox = {
    configure: configure,
    clear: clear,
    STATE: STATE,
    CHANNEL: CHANNEL,
    all: all,
    get: get,
    add: add,
    remove: remove,
    retry: retry,
    sendAll: sendAll,
  };
})(self);
