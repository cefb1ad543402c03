// The outbox summary on /my/: how many inspections this phone still holds (outbox.js stores them).
(function () {
  "use strict";
  var box = document.querySelector("[data-my-outbox]");
  var Outbox = window.WPOutbox;
  if (!box || !Outbox || !window.indexedDB) { return; }
  var status = box.querySelector("[data-my-outbox-status]");
  var emptyText = status.textContent;

  function render() {
    Outbox.all().then(function (entries) {
      var waiting = entries.filter(function (e) { return e.state === "pending" || e.state === "sending"; }).length;
      var refused = entries.filter(function (e) { return e.state === "error"; }).length;
      var parts = [];
      if (waiting) { parts.push(box.dataset.textWaiting.replace("{n}", String(waiting))); }
      if (refused) { parts.push(box.dataset.textError.replace("{n}", String(refused))); }
      status.textContent = parts.length ? parts.join(" ") : emptyText;
      box.classList.toggle("my-outbox--waiting", parts.length > 0);
    }).catch(function () { /* no storage: nothing can be waiting */ });
  }
  window.addEventListener("outbox-changed", render);
  if (typeof BroadcastChannel === "function") {
    new BroadcastChannel(Outbox.CHANNEL).onmessage = render;
  }
  render();
})();
