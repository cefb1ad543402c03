// Dashboards: draw the charts described in <script type="application/json" id="dashboard-charts">.
// The same figures are in a table next to each chart (screen readers, printing, no JavaScript).
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof window.Chart === "undefined") { return; }
  var charts = JSON.parse(source.textContent);
  var colours = ["#1f5fa8", "#c0392b", "#2e7d32", "#8e6c00"];
  var number = new Intl.NumberFormat("vi-VN");
  // Long category names ("Ngành nghề kinh doanh có điều kiện về ANTT") on lines of about 16
  // characters: rotated whole, they hung past the canvas's left edge.
  function wrap(label) {
    var lines = [];
    String(label).split(" ").forEach(function (word) {
      var last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + word).length <= 16) { lines[last] += " " + word; }
      else { lines.push(word); }
    });
    return lines.length > 1 ? lines : String(label);
  }
  charts.forEach(function (spec) {
    var canvas = document.getElementById(spec.id);
    if (!canvas) { return; }
    new window.Chart(canvas, {
      type: spec.kind,
      data: {
        labels: spec.labels.map(wrap),
        datasets: spec.datasets.map(function (dataset, i) {
          return {
            label: dataset.label,
            data: dataset.data,
            borderColor: colours[i % colours.length],
            backgroundColor: colours[i % colours.length],
            tension: 0.2
          };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        // Charts of counts: whole-number ticks only (Chart.js picked 0,2 0,4 … for small counts).
        // The padding leaves room for the first category label, which hangs left of its tick
        // when rotated and was cut off at the canvas's edge (Chart.js counts the y axis's width
        // as room for it, and the axis of small counts is narrow).
        layout: { padding: { left: 16, right: 8 } },
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0, callback: function (v) { return number.format(v); } } },
          x: { ticks: { autoSkip: true, maxRotation: 60 } }
        },
        plugins: { legend: { position: "bottom" } }
      }
    });
  });
})();
