// The script of the report page, as text inlined into it. It reads the embedded JSON, swaps named
// formatters ("fmt:pct") for functions, and draws each chart into its container with ECharts' SVG
// renderer (crisp in print, and its output can be checked in the DOM). Written as ES2017 for any
// browser that opens the file; it makes no network request.

/** The page script; expects `echarts` loaded and the data in `<script id="magpie-report-data">`. */
export const PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('magpie-report-data').textContent);
  var currency = data.meta.currency;
  var moneyFormat;
  try {
    moneyFormat = new Intl.NumberFormat('en-US', currency ? { style: 'currency', currency: currency, minimumFractionDigits: 2, maximumFractionDigits: 2 } : { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  } catch (e) {
    moneyFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  var FORMATS = {
    int: function (v) { return Math.round(v).toLocaleString('en-US'); },
    pct: function (v) { return (v * 100).toFixed(1) + '%'; },
    pct0: function (v) { return (v * 100).toFixed(0) + '%'; },
    money: function (v) { return moneyFormat.format(v); },
    days: function (v) { return v.toFixed(1) + ' days'; },
    hours: function (v) { return v.toFixed(1) + ' h'; },
    minutes: function (v) { return v.toFixed(1) + ' min'; },
    dec1: function (v) { return v.toFixed(1); },
    dec2: function (v) { return v.toFixed(2); },
    dec3: function (v) { return v.toFixed(3); },
    duration: function (s) {
      if (s < 60) return s.toFixed(0) + ' s';
      if (s < 3600) return (s / 60).toFixed(1) + ' min';
      if (s < 86400) return (s / 3600).toFixed(1) + ' h';
      return (s / 86400).toFixed(1) + ' days';
    }
  };
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  // A label formatter gets the data item's params, an axis label or valueFormatter the bare value.
  function valueOf(v) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'value' in v) v = v.value;
    if (Array.isArray(v)) v = v[v.length - 1];
    return typeof v === 'string' ? Number(v) : v;
  }
  function guarded(format) {
    return function (v) {
      var x = valueOf(v);
      return typeof x !== 'number' || !isFinite(x) ? '—' : format(x);
    };
  }
  function formatter(spec) {
    var m = /^fmt:([a-z0-9]+)(?:@(cell|graph))?$/.exec(spec);
    if (!m || !FORMATS.hasOwnProperty(m[1])) {
      console.warn('magpie report: unknown formatter ' + spec);
      return spec;
    }
    var format = guarded(FORMATS[m[1]]);
    if (m[2] === 'cell') {
      return function (p) { return escapeHtml(p.value[1]) + ' · ' + escapeHtml(p.value[0]) + ': ' + format(p.value[2]); };
    }
    if (m[2] === 'graph') {
      return function (p) {
        if (p.dataType === 'edge') return escapeHtml(p.data.source) + ' → ' + escapeHtml(p.data.target) + ': ' + format(p.value);
        return escapeHtml(p.name) + (p.value === undefined || p.value === null ? '' : ': ' + format(p.value));
      };
    }
    return format;
  }
  function revive(node) {
    if (Array.isArray(node)) {
      for (var i = 0; i < node.length; i++) node[i] = revive(node[i]);
      return node;
    }
    if (node === null || typeof node !== 'object') return node;
    Object.keys(node).forEach(function (key) {
      var value = node[key];
      if ((key === 'formatter' || key === 'valueFormatter') && typeof value === 'string' && value.indexOf('fmt:') === 0) node[key] = formatter(value);
      else node[key] = revive(value);
    });
    return node;
  }

  var charts = [];
  data.sections.forEach(function (section) {
    section.charts.forEach(function (spec) {
      var el = document.getElementById(spec.id);
      if (!el) {
        console.error('magpie report: no container for chart ' + spec.id);
        return;
      }
      try {
        var chart = echarts.init(el, null, { renderer: 'svg' });
        chart.setOption(revive(spec.option));
        charts.push(chart);
      } catch (error) {
        el.classList.add('chart-error');
        el.textContent = 'This chart could not be drawn: ' + error.message;
        console.error(error);
      }
    });
  });
  function resizeAll() {
    charts.forEach(function (chart) { chart.resize(); });
  }
  var pending = 0;
  window.addEventListener('resize', function () {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(resizeAll);
  });
  // Printing lays the page out at paper width: unfold the long tables and redraw the charts to fit.
  function preparePrint() {
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
    resizeAll();
  }
  window.addEventListener('beforeprint', preparePrint);
  if (window.matchMedia) {
    var print = window.matchMedia('print');
    if (print.addEventListener) print.addEventListener('change', function (e) { if (e.matches) preparePrint(); else resizeAll(); });
  }
  document.documentElement.setAttribute('data-charts-ready', String(charts.length));
})();
`;
