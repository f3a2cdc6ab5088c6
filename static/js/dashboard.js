/* Dashboard charts, drawn with the vendored Chart.js from the JSON blocks beside each table.
   The tables are the source of truth (and what is left without JavaScript); a click on a bar
   opens the same register link as its table cell. */
(function () {
  "use strict";

  // The badge colours of app.css, a shade darker so that bars read on a projector; each at
  // least 3:1 against white (WCAG 1.4.11, non-text contrast).
  var COLOURS = {
    not_started: "#6b7888",
    in_progress: "#2f7fd1",
    partially_implemented: "#a87600",
    implemented: "#2e8b57",
    no_longer_relevant: "#7a66b3",
    met: "#2e8b57",
    not_met: "#c0392b"
  };

  // Category labels cut to fit: a phone leaves the bars half its width at most.
  function shortLabel(value) {
    var label = this.getLabelForValue(value);
    var room = this.chart.width < 500 ? 18 : 38;
    return label.length > room ? label.slice(0, room - 1) + "…" : label;
  }

  function base(data) {
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      font: { size: 14 },
      plugins: { legend: { position: "bottom", labels: { font: { size: 14 } } } }
    };
  }

  function statusChart(canvas, data) {
    var rows = data.labels.length;
    canvas.parentNode.style.height = Math.max(160, rows * 34 + 90) + "px";
    var options = base(data);
    options.indexAxis = "y";
    options.scales = {
      x: { stacked: true, ticks: { precision: 0, font: { size: 14 } } },
      y: {
        stacked: true,
        ticks: {
          font: { size: 14 },
          callback: shortLabel
        }
      }
    };
    return {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (d) {
          return { label: d.label, data: d.data, backgroundColor: COLOURS[d.key], links: d.links };
        })
      },
      options: options
    };
  }

  function trendChart(canvas, data) {
    var options = base(data);
    options.scales = { y: { beginAtZero: true, ticks: { precision: 0, font: { size: 14 } } } };
    return {
      type: "line",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (d) {
          return {
            label: d.label,
            data: d.data,
            borderColor: COLOURS[d.key],
            backgroundColor: COLOURS[d.key],
            borderWidth: 3,
            pointRadius: 2
          };
        })
      },
      options: options
    };
  }

  function percentChart(canvas, data) {
    var d = data.datasets[0];
    canvas.parentNode.style.height = Math.max(140, data.labels.length * 40 + 60) + "px";
    var options = base(data);
    options.indexAxis = "y";
    options.plugins.legend = { display: false };
    options.plugins.tooltip = {
      callbacks: { label: function (item) { return item.formattedValue + "%"; } }
    };
    options.scales = {
      x: { beginAtZero: true, suggestedMax: 100, ticks: { font: { size: 14 }, callback: function (v) { return v + "%"; } } },
      y: {
        ticks: {
          font: { size: 14 },
          callback: shortLabel
        }
      }
    };
    return {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{
          label: d.label,
          data: d.data,
          links: d.links,
          backgroundColor: d.met.map(function (m) { return m ? COLOURS.met : COLOURS.not_met; })
        }]
      },
      options: options
    };
  }

  var BUILDERS = { status: statusChart, trend: trendChart, percent: percentChart };

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var config = BUILDERS[data.kind](canvas, data);
    config.options.onClick = function (event, elements, chart) {
      if (!elements.length) { return; }
      var dataset = chart.data.datasets[elements[0].datasetIndex];
      var link = dataset.links && dataset.links[elements[0].index];
      if (link) { window.location.assign(link); }
    };
    config.options.onHover = function (event, elements, chart) {
      var linked = elements.length && chart.data.datasets[elements[0].datasetIndex].links &&
        chart.data.datasets[elements[0].datasetIndex].links.length;
      chart.canvas.classList.toggle("clickable", Boolean(linked));
    };
    new window.Chart(canvas, config);
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.Chart) { return; }
    // The page's own typeface (Noto Sans, with Noto Sans Lao for Lao labels), large enough for
    // a projector.
    window.Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
    window.Chart.defaults.font.size = 14;
    window.Chart.defaults.color = "#1b2733";
    document.documentElement.classList.add("charts");
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), draw);
  });
})();
