// Inspection form on a phone: progress, a draft kept in the browser, GPS, signature pad.
// Everything here is an enhancement: without JavaScript the form still submits (no signature pad).
(function () {
  "use strict";
  var DRAFT_PREFIX = "inspection-draft:";

  function storage() {
    try { var s = window.localStorage; s.setItem("__t", "1"); s.removeItem("__t"); return s; } catch (e) { return null; }
  }

  // On the detail page: the draft whose submission was stored is no longer needed.
  var saved = document.querySelector("[data-clear-draft]");
  if (saved) {
    var store = storage();
    if (store) {
      var id = saved.getAttribute("data-clear-draft");
      for (var i = store.length - 1; i >= 0; i--) {
        var key = store.key(i);
        if (key && key.indexOf(DRAFT_PREFIX) === 0) {
          try { if ((JSON.parse(store.getItem(key)).fields || {}).submission_id === id) { store.removeItem(key); } }
          catch (e) { store.removeItem(key); }
        }
      }
    }
  }

  // Set up one inspection form. offline.js calls it again on the form it swaps in when the
  // server answers its fetch with the form's errors (no second POST, so photos upload once).
  function setUp(form) {
    // --- progress -------------------------------------------------------------------------
    var items = Array.prototype.slice.call(form.querySelectorAll("[data-item]"));
    var progress = form.querySelector("[data-progress-count]");
    function answered(item) { return !!item.querySelector("input[type=radio]:checked"); }
    function updateProgress() {
      var done = items.filter(answered).length;
      if (progress) { progress.textContent = String(done); }
      Array.prototype.forEach.call(form.querySelectorAll(".insp-section"), function (section) {
        var own = section.querySelectorAll("[data-item]");
        var count = section.querySelector("[data-section-count]");
        if (!count || !own.length) { return; }
        var n = Array.prototype.filter.call(own, answered).length;
        count.textContent = n + "/" + own.length;
        section.classList.toggle("insp-section--done", n === own.length);
      });
      items.forEach(function (item) {
        var checked = item.querySelector("input[type=radio]:checked");
        item.setAttribute("data-answer", checked ? checked.value : "");
      });
    }

    // --- draft in localStorage ------------------------------------------------------------
    var store = storage();
    var draftKey = form.getAttribute("data-draft-key");
    function collect() {
      var fields = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.type === "file" || el.name === "csrfmiddlewaretoken") { return; }
        if (el.type === "radio") { if (el.checked) { fields[el.name] = el.value; } return; }
        if (el.type === "checkbox") {
          var list = fields[el.name] || [];
          if (el.checked) { list.push(el.value); }
          fields[el.name] = list;
          return;
        }
        fields[el.name] = el.value;
      });
      return fields;
    }
    function saveDraft() {
      if (!store || !draftKey) { return; }
      try { store.setItem(draftKey, JSON.stringify({ savedAt: Date.now(), fields: collect() })); } catch (e) { /* quota: keep going */ }
    }
    function restoreDraft() {
      if (!store || !draftKey) { return false; }
      var raw = store.getItem(draftKey);
      if (!raw) { return false; }
      var fields;
      try { fields = JSON.parse(raw).fields || {}; } catch (e) { return false; }
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || !(el.name in fields) || el.type === "file" || el.name === "csrfmiddlewaretoken") { return; }
        var value = fields[el.name];
        if (el.type === "radio") { el.checked = el.value === value; }
        else if (el.type === "checkbox") { el.checked = Array.isArray(value) && value.indexOf(el.value) !== -1; }
        else { el.value = value; }
      });
      return true;
    }
    if (form.getAttribute("data-restore") === "true") {
      if (restoreDraft()) {
        var note = document.createElement("p");
        note.className = "messages msg-info insp-restored";
        note.setAttribute("role", "status");
        note.textContent = form.getAttribute("data-restored-text") || "";
        if (note.textContent) { form.insertBefore(note, form.firstChild); }
      }
    } else {
      saveDraft();
    }
    form.addEventListener("input", function () { updateProgress(); saveDraft(); });
    form.addEventListener("change", function () { updateProgress(); saveDraft(); toggleCommitment(); });

    // --- GPS, only when the officer taps the button (the browser then asks for consent) ------
    var gpsButton = form.querySelector("[data-gps-button]");
    var gpsStatus = form.querySelector("[data-gps-status]");
    var gpsTexts = form.querySelector("[data-gps-texts]");
    if (gpsButton && gpsStatus && gpsTexts) {
      if (!("geolocation" in navigator)) { gpsButton.hidden = true; }
      gpsButton.addEventListener("click", function () {
        gpsStatus.textContent = gpsTexts.getAttribute("data-waiting");
        navigator.geolocation.getCurrentPosition(function (pos) {
          form.elements.latitude.value = pos.coords.latitude.toFixed(6);
          form.elements.longitude.value = pos.coords.longitude.toFixed(6);
          form.elements.gps_accuracy_m.value = String(Math.round(pos.coords.accuracy || 0));
          gpsStatus.textContent = gpsTexts.getAttribute("data-ok").replace("{m}", String(Math.round(pos.coords.accuracy || 0)));
          saveDraft();
        }, function () {
          gpsStatus.textContent = gpsTexts.getAttribute("data-denied");
        }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
      });
    }

    // --- commitment block and signature pad ----------------------------------------------
    var commitBox = form.elements.commitment;
    var commitBlock = form.querySelector("[data-commitment]");
    function toggleCommitment() {
      if (commitBox && commitBlock) { commitBlock.hidden = !commitBox.checked; }
    }
    toggleCommitment();

    var canvas = form.querySelector("[data-signature-pad]");
    var signatureInput = form.elements.signature_data;
    if (canvas && signatureInput && canvas.getContext) {
      var ctx = canvas.getContext("2d");
      var drawing = false;
      var drawn = false;
      ctx.lineWidth = 3; ctx.lineCap = "round"; ctx.lineJoin = "round"; ctx.strokeStyle = "#0a2a6b";
      function point(event) {
        var rect = canvas.getBoundingClientRect();
        return { x: (event.clientX - rect.left) * canvas.width / rect.width, y: (event.clientY - rect.top) * canvas.height / rect.height };
      }
      canvas.addEventListener("pointerdown", function (event) {
        event.preventDefault();
        drawing = true;
        if (canvas.setPointerCapture) { canvas.setPointerCapture(event.pointerId); }
        var p = point(event);
        ctx.beginPath(); ctx.moveTo(p.x, p.y); ctx.lineTo(p.x + 0.1, p.y + 0.1); ctx.stroke();
      });
      canvas.addEventListener("pointermove", function (event) {
        if (!drawing) { return; }
        event.preventDefault();
        var p = point(event);
        ctx.lineTo(p.x, p.y); ctx.stroke();
        drawn = true;
      });
      function finish() {
        if (!drawing) { return; }
        drawing = false;
        drawn = true;
        signatureInput.value = canvas.toDataURL("image/png");
        saveDraft();
      }
      canvas.addEventListener("pointerup", finish);
      canvas.addEventListener("pointercancel", finish);
      canvas.addEventListener("pointerleave", finish);
      var clear = form.querySelector("[data-signature-clear]");
      if (clear) {
        clear.addEventListener("click", function () {
          ctx.clearRect(0, 0, canvas.width, canvas.height);
          signatureInput.value = "";
          drawn = false;
          saveDraft();
        });
      }
      if (signatureInput.value.indexOf("data:image/png;base64,") === 0) {
        var img = new Image();
        img.onload = function () { ctx.drawImage(img, 0, 0); drawn = true; };
        img.src = signatureInput.value;
      }
    }

    // --- errors: bring the summary into view -----------------------------------------------
    var errors = form.querySelector("#form-errors");
    if (errors) { errors.focus(); }

    form.addEventListener("submit", function () {
      var button = form.querySelector("[data-submit]");
      if (button) { button.setAttribute("aria-busy", "true"); }
      saveDraft();
    });

    updateProgress();
  }

  window.WPInspectionForm = { setUp: setUp };
  var first = document.getElementById("inspection-form");
  if (first) { setUp(first); }
})();
