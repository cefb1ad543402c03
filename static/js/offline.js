// Offline inspections in the page: registers the service worker, queues the form when there is
// no connection, draws the outbox (/inspections/outbox/) and sends it when the connection returns.
// Without JavaScript, IndexedDB or a service worker the form is a plain POST, as before.
(function () {
  "use strict";
  var Outbox = window.WPOutbox;
  var script = document.currentScript;
  var config = script ? script.dataset : {};
  var SYNC_TAG = "inspection-outbox";
  var RETRY_EVERY_MS = 15 * 1000;
  var MAX_PHOTO_SIDE = 1600;
  var supported = !!(Outbox && window.indexedDB && window.fetch && window.Promise && window.FormData);

  // --- service worker ------------------------------------------------------------------
  var swReady = null;
  if ("serviceWorker" in navigator && config.sw) {
    var scope = new URL(config.scope || "/", window.location.href).href;
    swReady = navigator.serviceWorker.register(config.sw, { scope: scope })
      .then(function () {
        // The worker once controlled /inspections/ only: that registration is replaced by this one.
        return navigator.serviceWorker.getRegistrations().then(function (registrations) {
          registrations.forEach(function (r) { if (r.scope !== scope) { r.unregister(); } });
        }).catch(function () {});
      })
      .then(function () { return navigator.serviceWorker.ready; })
      .catch(function () { return null; });
  }
  function askWorker(message) {
    if (!swReady) { return; }
    swReady.then(function (registration) {
      if (registration && registration.active) { registration.active.postMessage(message); }
    });
  }
  function requestBackgroundSync() {
    if (!swReady) { return Promise.resolve(); }
    return swReady.then(function (registration) {
      if (registration && registration.sync) { return registration.sync.register(SYNC_TAG).catch(function () {}); }
    });
  }

  // This page is the copy the worker kept, served without a connection (see sw.js).
  var offlineCopy = !!document.querySelector("[data-offline-copy]:not([hidden])");

  // --- a board (a campaign's targets) opened online: the worker keeps it with the forms ------
  // The worker knows which pages are boards and ignores this for any other page.
  if (swReady && !offlineCopy && navigator.onLine !== false) {
    var here = window.location.href.split("#")[0];
    var boardStatus = document.querySelector("[data-offline-status]");
    navigator.serviceWorker.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data.type !== "board-kept" || data.url !== here || !boardStatus) { return; }
      var text = data.total > data.count ? boardStatus.dataset.textCapped : boardStatus.dataset.textSaved;
      boardStatus.textContent = (text || "").replace("{n}", String(data.count)).replace("{total}", String(data.total));
    });
    navigator.serviceWorker.startMessages();
    askWorker({ type: "cache-board", url: here });
  }

  if (!supported) { return; }
  Outbox.configure({ keepDays: config.keepDays });

  // Form pages the worker cached (they show the owner's name); the app shell stays.
  function clearCachedPages() {
    if (!window.caches) { return Promise.resolve(); }
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf("wp-inspections-") === 0; }).map(function (name) {
        return caches.open(name).then(function (cache) {
          return cache.keys().then(function (requests) {
            return Promise.all(requests.filter(function (r) {
              return new URL(r.url).pathname.indexOf("/static/") !== 0;
            }).map(function (r) { return cache.delete(r); }));
          });
        });
      }));
    });
  }

  // --- logout clears this phone's copies (asking first when inspections are unsent) -----
  Array.prototype.forEach.call(document.querySelectorAll("form[action='" + config.logout + "']"), function (logout) {
    var confirmed = false;
    logout.addEventListener("submit", function (event) {
      if (confirmed) { return; }
      event.preventDefault();
      Outbox.all().then(function (entries) {
        var unsent = entries.filter(function (e) { return e.state !== Outbox.STATE.SENT; }).length;
        if (unsent && !window.confirm((config.logoutWarning || "").replace("{n}", String(unsent)))) { return; }
        return Promise.all([Outbox.clear(), clearCachedPages()]).then(function () { confirmed = true; HTMLFormElement.prototype.submit.call(logout); });
      }).catch(function () { confirmed = true; HTMLFormElement.prototype.submit.call(logout); });
    });
  });

  // --- sending: now, when the connection returns, and on a timer (the queue backs off) ------
  var sending = null;
  function sendNow(force) {
    if (sending) { return sending; }
    sending = Outbox.sendAll({ force: !!force }).catch(function () {}).then(function () { sending = null; });
    return sending;
  }
  window.addEventListener("online", function () { sendNow(true); });
  window.setInterval(function () { if (navigator.onLine !== false) { sendNow(false); } }, RETRY_EVERY_MS);

  // --- the inspection form -------------------------------------------------------------
  var form = document.getElementById("inspection-form");
  if (form) { setUpForm(form); }

  function uuid4() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40; bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function downscale(file) {
    if (!/^image\//.test(file.type) || typeof window.createImageBitmap !== "function") { return Promise.resolve(file); }
    return window.createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_PHOTO_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) { bitmap.close(); }
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) { resolve(blob || file); }, "image/jpeg", 0.85);
      });
    }).catch(function () { return file; });
  }

  function jpegName(name) { return (name || "anh").replace(/\.[^.]*$/, "") + ".jpg"; }

  // The form as stored in the outbox: text fields, then photos (downscaled JPEG blobs).
  function snapshot(form) {
    var fields = [];
    var photos = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken") { return; }
      if (el.type === "file") {
        Array.prototype.forEach.call(el.files || [], function (file) { photos.push({ field: el.name, file: file }); });
        return;
      }
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      if (el.tagName === "BUTTON") { return; }
      fields.push([el.name, el.value]);
    });
    return Promise.all(photos.map(function (p) {
      return downscale(p.file).then(function (blob) {
        return { field: p.field, blob: blob, filename: blob === p.file ? p.file.name : jpegName(p.file.name) };
      });
    })).then(function (files) { return { fields: fields, files: files }; });
  }

  function formData(data) {
    var body = new FormData();
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { body.append("csrfmiddlewaretoken", token.value); }
    data.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    data.files.forEach(function (f) { body.append(f.field, f.blob, f.filename); });
    return body;
  }

  // Checks the server would make, so a form queued offline is not refused for a missing answer.
  function problems(form) {
    var list = [];
    var missing = Array.prototype.filter.call(form.querySelectorAll("[data-item]"), function (item) {
      return !item.querySelector("input[type=radio]:checked");
    });
    if (missing.length) { list.push((form.dataset.textUnanswered || "").replace("{n}", String(missing.length))); }
    if (!form.querySelector("input[name=inspectors]:checked")) { list.push(form.dataset.textInspectors || ""); }
    if (!(form.elements.person_present_name.value || "").trim()) { list.push(form.dataset.textPerson || ""); }
    // A failed critical item citing no violation asks for one (the server refuses it otherwise).
    var unchosen = Array.prototype.filter.call(form.querySelectorAll("[data-item]"), function (item) {
      var choice = item.querySelector("select[name^='vtype-']");
      return choice && !choice.value && item.querySelector("input[type=radio][value=fail]:checked");
    });
    if (unchosen.length) { list.push(form.dataset.textViolationType || ""); }
    if (form.elements.commitment && form.elements.commitment.checked) {
      if (!(form.elements.commitment_text.value || "").trim()) { list.push(form.dataset.textCommitment || ""); }
      var refused = form.elements.refused_to_sign && form.elements.refused_to_sign.checked;
      if (refused && !(form.elements.witness_name.value || "").trim()) { list.push(form.dataset.textWitness || ""); }
      if (!refused && !form.elements.signature_data.value) { list.push(form.dataset.textSignature || ""); }
    }
    return { items: list, first: missing[0] || null };
  }

  function showProblems(form, found) {
    var box = form.querySelector("[data-offline-problems]");
    if (!box) { return; }
    box.hidden = false;
    var list = box.querySelector("ul");
    list.textContent = "";
    found.items.forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      list.appendChild(li);
    });
    box.focus();
  }

  function clearDraft(form) {
    try { window.localStorage.removeItem(form.dataset.draftKey); } catch (e) { /* no storage */ }
  }

  function queue(form, data) {
    var idField = form.elements.submission_id;
    var entry = {
      id: idField.value,
      createdAt: Date.now(),
      state: Outbox.STATE.PENDING,
      attempts: 0,
      nextAttemptAt: 0,
      businessName: form.dataset.businessName || "",
      businessAddress: form.dataset.businessAddress || "",
      formUrl: window.location.href,
      fields: data.fields.concat([["business", form.dataset.business]]),
      files: data.files,
      reasons: [],
    };
    return Outbox.add(entry).then(function () {
      clearDraft(form);
      return requestBackgroundSync();
    }).then(function () {
      window.location.assign(config.outbox + "?queued=" + encodeURIComponent(entry.id));
    });
  }

  // The page the server answered a fetched submission with. The form with its errors replaces
  // the one on screen: the photos already chosen move into it, so they need not be chosen again.
  // Any other page (a login page, a server error) is shown as the browser would show it.
  function showAnswer(form, response, html, release) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("inspection-form");
    if (!fresh || response.status !== 400 || !window.WPInspectionForm) {
      document.open();
      document.write(html);
      document.close();
      return;
    }
    fresh = document.importNode(fresh, true);
    var kept = false;
    Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (input) {
      var twin = input.name && fresh.querySelector("input[type=file][name='" + input.name + "']");
      if (!twin) { return; }
      if (input.files && input.files.length) { kept = true; }
      twin.parentNode.replaceChild(input, twin);
    });
    if (kept) {
      Array.prototype.forEach.call(fresh.querySelectorAll("[data-photos-again]"), function (n) { n.remove(); });
    }
    release();
    form.parentNode.replaceChild(fresh, form);
    window.WPInspectionForm.setUp(fresh);
    setUpForm(fresh);
  }

  function setUpForm(form) {
    var idField = form.elements.submission_id;
    var started = form.elements.started_at;
    // A page served from the cache (or a draft) may carry an id that is already queued:
    // a new inspection gets a new id, so it can never be taken for the queued one.
    Outbox.get(idField.value).then(function (existing) {
      if (existing) {
        idField.value = uuid4();
        if (started) { started.value = new Date().toISOString().slice(0, 19) + "Z"; }
      }
    });
    // A copy kept on the phone (opened from a campaign's board, say) may be days old: the
    // inspection starts now, which is also what the server checks the checklist version against.
    if (offlineCopy && started) { started.value = new Date().toISOString().slice(0, 19) + "Z"; }
    // Keep this form page for offline use (the worker fetches and caches it).
    if (navigator.onLine !== false && !offlineCopy) { askWorker({ type: "cache-page", url: window.location.href }); }

    var busy = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (busy) { return; }
      var offline = navigator.onLine === false;
      if (offline) {
        var found = problems(form);
        if (found.items.length) { showProblems(form, found); return; }
      }
      busy = true;
      var button = form.querySelector("[data-submit]");
      if (button) { button.setAttribute("aria-busy", "true"); button.disabled = true; }
      var release = function () { busy = false; if (button) { button.removeAttribute("aria-busy"); button.disabled = false; } };
      snapshot(form).then(function (data) {
        if (offline) { return queue(form, data); }
        return fetch(form.action, { method: "POST", body: formData(data), credentials: "same-origin" })
          .then(function (response) {
            if (response.ok && response.redirected && /\/inspections\/\d+\/$/.test(new URL(response.url).pathname)) {
              window.location.assign(response.url);
              return;
            }
            // Not saved (e.g. an answer missing): show the server's answer as it is, never post
            // the form a second time (its photos would upload twice).
            return response.text().then(function (html) { showAnswer(form, response, html, release); });
          }, function () {
            // No answer from the server: queue it; the id makes a late success harmless.
            return queue(form, data);
          });
      }).catch(function () {
        release();
        HTMLFormElement.prototype.submit.call(form);
      });
    });
  }

  // --- the outbox page ----------------------------------------------------------------
  // (section[data-outbox]: this very script tag carries the outbox URL as data-outbox too.)
  var outbox = document.querySelector("section[data-outbox]");
  if (outbox) { setUpOutbox(outbox); }

  function setUpOutbox(root) {
    var texts = root.dataset;
    var list = root.querySelector("[data-outbox-list]");
    var empty = root.querySelector("[data-outbox-empty]");
    var status = root.querySelector("[data-outbox-status]");
    var stateLabels = {
      pending: texts.statePending, sending: texts.stateSending, sent: texts.stateSent, error: texts.stateError,
    };
    var problemTexts = { offline: texts.problemOffline, login: texts.problemLogin, server: texts.problemServer };

    function el(tag, className, text) {
      var node = document.createElement(tag);
      if (className) { node.className = className; }
      if (text !== undefined) { node.textContent = text; }
      return node;
    }
    function when(ms) {
      var d = new Date(ms);
      var two = function (n) { return (n < 10 ? "0" : "") + n; };
      return two(d.getDate()) + "/" + two(d.getMonth() + 1) + "/" + d.getFullYear() + " " + two(d.getHours()) + ":" + two(d.getMinutes());
    }
    function button(text, action, id, secondary) {
      var b = el("button", secondary ? "btn-secondary" : "", text);
      b.type = "button";
      b.dataset.action = action;
      b.dataset.id = id;
      return b;
    }

    function render() {
      return Outbox.all().then(function (entries) {
        list.textContent = "";
        empty.hidden = entries.length > 0;
        var waiting = entries.filter(function (e) { return e.state === "pending" || e.state === "sending"; }).length;
        status.textContent = navigator.onLine === false ? texts.offlineNow : (waiting ? texts.sendingSoon : "");
        entries.forEach(function (entry) {
          var item = el("li", "outbox-entry outbox-entry--" + entry.state);
          item.dataset.entry = entry.id;
          var head = el("p", "outbox-entry__head");
          head.appendChild(el("strong", "", entry.businessName));
          head.appendChild(document.createTextNode(" "));
          head.appendChild(el("span", "badge outbox-state outbox-state--" + entry.state, stateLabels[entry.state] || entry.state));
          item.appendChild(head);
          item.appendChild(el("p", "help", (entry.businessAddress ? entry.businessAddress + " · " : "") + texts.queuedAt + " " + when(entry.createdAt)));
          var photos = (entry.files || []).length;
          if (entry.state !== "sent" && photos) { item.appendChild(el("p", "help", texts.photos.replace("{n}", String(photos)))); }
          if (entry.state === "pending" && entry.problem && problemTexts[entry.problem]) {
            item.appendChild(el("p", "outbox-entry__note", problemTexts[entry.problem]));
          }
          if (entry.state === "sent") {
            if (entry.message) { item.appendChild(el("p", "", entry.message)); }
            var link = el("a", "", texts.openInspection);
            link.href = entry.inspectionUrl;
            var p = el("p"); p.appendChild(link); item.appendChild(p);
          }
          if (entry.state === "error") {
            var box = el("div", "messages msg-error outbox-entry__error");
            box.setAttribute("role", "alert");
            box.appendChild(el("p", "", entry.message || texts.refused));
            if (entry.reasons && entry.reasons.length) {
              var reasons = el("ul", "outbox-reasons");
              entry.reasons.forEach(function (r) { reasons.appendChild(el("li", "", r)); });
              box.appendChild(reasons);
            }
            box.appendChild(el("p", "help", texts.whatToDo));
            item.appendChild(box);
          }
          var actions = el("p", "outbox-entry__actions");
          if (entry.state === "pending") { actions.appendChild(button(texts.sendNow, "send", entry.id)); }
          if (entry.state === "error") {
            actions.appendChild(button(texts.retry, "retry", entry.id));
            if (entry.formUrl) {
              var reopen = el("a", "btn-secondary", texts.openForm);
              reopen.href = entry.formUrl;
              actions.appendChild(reopen);
            }
          }
          if (entry.state === "error" || entry.state === "pending") {
            actions.appendChild(button(texts.discard, "discard", entry.id, true));
          }
          if (entry.state === "sent") { actions.appendChild(button(texts.remove, "remove", entry.id, true)); }
          item.appendChild(actions);
          list.appendChild(item);
        });
      });
    }

    root.addEventListener("click", function (event) {
      var target = event.target.closest("button[data-action]");
      if (!target) { return; }
      var id = target.dataset.id;
      var action = target.dataset.action;
      if (action === "send") { sendNow(true).then(render); }
      else if (action === "retry") { Outbox.retry(id).then(function () { return sendNow(true); }).then(render); }
      else if (action === "discard") { if (window.confirm(texts.confirmDiscard)) { Outbox.remove(id).then(render); } }
      else if (action === "remove") { Outbox.remove(id).then(render); }
    });
    window.addEventListener("outbox-changed", render);
    if (typeof BroadcastChannel === "function") {
      new BroadcastChannel(Outbox.CHANNEL).onmessage = function () { render(); };
    }
    window.addEventListener("online", render);
    window.addEventListener("offline", render);
    render();
  }

  // Whatever page this is: try what is due (the timer and the online event do the rest).
  if (navigator.onLine !== false) { sendNow(false); }
})();
