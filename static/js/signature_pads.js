// Signature pads of the record's sign form: each canvas [data-signature-pad="<input name>"] fills the
// hidden input of that name with a PNG data: URL. An enhancement: without JavaScript the pads stay
// hidden and the record is signed without drawn signatures.
(function () {
  "use strict";
  var pads = document.querySelectorAll("canvas[data-signature-pad]");
  Array.prototype.forEach.call(pads, function (canvas) {
    var form = canvas.closest("form");
    var input = form && form.elements[canvas.getAttribute("data-signature-pad")];
    if (!input || !canvas.getContext) { return; }
    var block = canvas.closest("[data-signature-block]");
    if (block) { block.hidden = false; }
    var ctx = canvas.getContext("2d");
    var drawing = false;
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
    });
    function finish() {
      if (!drawing) { return; }
      drawing = false;
      input.value = canvas.toDataURL("image/png");
    }
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);
    canvas.addEventListener("pointerleave", finish);
    var clear = form.querySelector('[data-signature-clear="' + input.name + '"]');
    if (clear) {
      clear.addEventListener("click", function () {
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        input.value = "";
      });
    }
    if (input.value.indexOf("data:image/png;base64,") === 0) {
      var img = new Image();
      img.onload = function () { ctx.drawImage(img, 0, 0); };
      img.src = input.value;
    }
  });
})();
