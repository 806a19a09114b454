// Draws the dashboard's charts with Chart.js (served from the portal itself). The same numbers are
// in the table under each chart, so the page is complete without JavaScript or for screen readers.
(function () {
  'use strict';
  if (!window.Chart) return;
  var styles = getComputedStyle(document.documentElement);
  var accent = styles.getPropertyValue('--color-accent').trim() || '#0b5cad';
  var text = styles.getPropertyValue('--color-text').trim() || '#1d2330';
  document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
    var data = JSON.parse(canvas.dataset.chart);
    new window.Chart(canvas, {
      type: 'bar',
      data: { labels: data.labels, datasets: [{ label: data.label, data: data.values, backgroundColor: accent }] },
      options: {
        animation: false,
        plugins: { legend: { display: false } },
        scales: { x: { ticks: { color: text } }, y: { beginAtZero: true, ticks: { precision: 0, color: text } } },
      },
    });
  });
})();
