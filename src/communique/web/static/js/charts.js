/* Charts of the pages: Vega-Lite specs filled from the API that the page's CSV links point at.
   Runs under a strict Content-Security-Policy: no eval (Vega's expression interpreter), no
   injected <style> (defaultStyle: false), links opened in this tab. */
(function () {
  'use strict';
  var QUAD = ['verbal cooperation', 'material cooperation', 'verbal conflict', 'material conflict'];
  var QCOL = ['#5aa02c', '#2b7bba', '#f0a030', '#c0392b'];

  function embed(el, spec) {
    spec.$schema = 'https://vega.github.io/schema/vega-lite/v6.json';
    // a faceted chart cannot size itself to the container: give it the width left beside the labels
    spec.width = spec.encoding && spec.encoding.row ? Math.max(280, el.clientWidth - 150) : 'container';
    spec.height = spec.height || 220;
    spec.config = {view: {stroke: null}, axis: {labelFontSize: 11, titleFontSize: 11}};
    return vegaEmbed(el, spec, {
      renderer: 'svg', actions: false, tooltip: false, defaultStyle: false,
      ast: true, expr: vegaInterpreter.expressionInterpreter,
      loader: vega.loader({target: '_self'})
    }).catch(function (err) { el.textContent = 'Chart failed: ' + err; });
  }

  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function iso(d) { return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()); }
  function periodEnd(start, freq) {
    var d = new Date(start + 'T00:00:00Z');
    if (freq === 'day') return start;
    if (freq === 'week') { d.setUTCDate(d.getUTCDate() + 6); return iso(d); }
    if (freq === 'year') return d.getUTCFullYear() + '-12-31';
    d.setUTCMonth(d.getUTCMonth() + 1); d.setUTCDate(0); return iso(d);
  }
  function withParams(base, extra) {
    var u = new URL(base, window.location.origin);
    Object.keys(extra).forEach(function (k) { u.searchParams.set(k, extra[k]); });
    return u.pathname + u.search;
  }
  function quadColor() {
    return {field: 'quad', type: 'nominal', title: 'quad class', sort: QUAD,
            scale: {domain: QUAD, range: QCOL}, legend: {orient: 'bottom'}};
  }

  function timeline(el, data) {
    var link = el.dataset.link || '/events';
    var freq = data.freq || 'month';
    var rows = data.items.map(function (r) {
      var q = r.quad_class;
      return {period: r.period, events: r.events, quad: q ? QUAD[q - 1] : 'all events',
              title: r.period + ': ' + r.events + ' events' + (q ? ' (' + QUAD[q - 1] + ')' : '') +
                     ', mean Goldstein ' + r.mean_goldstein,
              href: withParams(link, q ? {since: r.period, until: periodEnd(r.period, freq), quad: q}
                                       : {since: r.period, until: periodEnd(r.period, freq)})};
    });
    return embed(el, {
      data: {values: rows}, mark: {type: 'bar', cursor: 'pointer'},
      encoding: {x: {field: 'period', type: 'temporal', timeUnit: freq === 'day' ? 'yearmonthdate' : 'yearmonth',
                     title: null},
                 y: {field: 'events', type: 'quantitative', aggregate: 'sum', title: 'events'},
                 color: quadColor(), href: {field: 'href'}, tooltip: {field: 'title'}}
    });
  }

  function dyad(el, data) {
    var link = el.dataset.link || '/events';
    var freq = data.freq || el.dataset.freq || 'month';
    var keys = ['verbal_coop', 'material_coop', 'verbal_conflict', 'material_conflict'];
    var rows = [];
    data.items.forEach(function (r) {
      keys.forEach(function (k, i) {
        if (!r[k]) return;
        rows.push({period: r.period, direction: r.direction, quad: QUAD[i], n: r[k],
                   title: r.direction + ', ' + r.period + ': ' + r[k] + ' ' + QUAD[i],
                   href: withParams(link, {since: r.period, until: periodEnd(r.period, freq), quad: i + 1})});
      });
    });
    if (!rows.length) { el.textContent = 'No events between these sides.'; return; }
    return embed(el, {
      data: {values: rows}, mark: {type: 'bar', cursor: 'pointer'}, height: 140,
      encoding: {x: {field: 'period', type: 'ordinal', title: null, axis: {labelAngle: -40}},
                 y: {field: 'n', type: 'quantitative', aggregate: 'sum', title: 'events'},
                 row: {field: 'direction', type: 'nominal', title: null},
                 color: quadColor(), href: {field: 'href'}, tooltip: {field: 'title'}}
    });
  }

  function actor(el, data) {
    var link = el.dataset.link || '/events';
    var rows = [];
    data.timeline.forEach(function (r) {
      var u = withParams(link, {since: r.period, until: periodEnd(r.period, 'month')});
      rows.push({period: r.period, role: 'as source', n: r.as_source, href: u, title: r.period + ': ' + r.as_source + ' as source'});
      rows.push({period: r.period, role: 'as target', n: r.as_target, href: u, title: r.period + ': ' + r.as_target + ' as target'});
    });
    if (!rows.length) { el.textContent = 'No dated events.'; return; }
    return embed(el, {
      data: {values: rows}, mark: {type: 'bar', cursor: 'pointer'}, height: 160,
      encoding: {x: {field: 'period', type: 'temporal', timeUnit: 'yearmonth', title: null},
                 y: {field: 'n', type: 'quantitative', aggregate: 'sum', title: 'events'},
                 color: {field: 'role', type: 'nominal', title: null, scale: {range: ['#2b7bba', '#f0a030']},
                         legend: {orient: 'bottom'}},
                 href: {field: 'href'}, tooltip: {field: 'title'}}
    });
  }

  var KINDS = {timeline: timeline, dyad: dyad, actor: actor};
  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var draw = KINDS[el.dataset.chart];
    fetch(el.dataset.src, {headers: {Accept: 'application/json'}})
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (data) { return draw(el, data); })
      .then(function () { el.setAttribute('data-ready', '1'); })
      .catch(function (err) { el.textContent = 'Could not load the chart: ' + err.message; el.setAttribute('data-ready', 'error'); });
  });
})();
