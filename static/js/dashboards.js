// Dashboards: draw the charts described in <script type="application/json" id="dashboard-charts">.
// The same figures are in a table next to each chart (screen readers, printing, no JavaScript).
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof window.Chart === "undefined") { return; }
  var charts = JSON.parse(source.textContent);
  var colours = ["#1f5fa8", "#c0392b", "#2e7d32", "#8e6c00"];
  var number = new Intl.NumberFormat("vi-VN");
  charts.forEach(function (spec) {
    var canvas = document.getElementById(spec.id);
    if (!canvas) { return; }
    new window.Chart(canvas, {
      type: spec.kind,
      data: {
        labels: spec.labels,
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
        scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return number.format(v); } } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  });
})();
