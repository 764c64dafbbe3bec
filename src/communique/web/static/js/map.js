/* The map page: country shapes from the vendored world-atlas TopoJSON (no tiles, no network),
   event places from /api/v1/places.geojson, a month slider and colouring by Goldstein or quad class.
   The slider keeps its month in the URL, so the view can be shared. Text from the data goes into
   the page with textContent only. */
(function () {
  'use strict';
  var el = document.getElementById('map');
  var QUAD = ['verbal cooperation', 'material cooperation', 'verbal conflict', 'material conflict'];
  var QCOL = ['#5aa02c', '#2b7bba', '#f0a030', '#c0392b'];
  var months = el.dataset.months ? el.dataset.months.split(',') : [];
  var baseQs = new URLSearchParams(el.dataset.qs);
  var color = el.dataset.color;
  var slider = document.getElementById('month-slider');
  var label = document.getElementById('month-label');
  var geoLink = document.getElementById('geojson-link');
  var map = L.map(el, {worldCopyJump: true, minZoom: 1, maxZoom: 10, attributionControl: true}).setView([35, 20], 2);
  map.attributionControl.setPrefix('Leaflet');
  map.attributionControl.addAttribution('Natural Earth (world-atlas)');
  var points = L.layerGroup().addTo(map);

  // Natural Earth rings that cross the antimeridian jump from +180 to -180: unwrap them so that
  // Leaflet draws Chukotka and Fiji without a line across the map; Antarctica is left out.
  function unwrap(ring) {
    var out = [], shift = 0;
    for (var i = 0; i < ring.length; i++) {
      if (i > 0) {
        var d = ring[i][0] + shift - out[i - 1][0];
        if (d > 180) shift -= 360; else if (d < -180) shift += 360;
      }
      out.push([ring[i][0] + shift, ring[i][1]]);
    }
    return out;
  }
  function fixGeometry(g) {
    if (g.type === 'Polygon') g.coordinates = g.coordinates.map(unwrap);
    else if (g.type === 'MultiPolygon') g.coordinates = g.coordinates.map(function (p) { return p.map(unwrap); });
    return g;
  }
  fetch(el.dataset.shapes).then(function (r) { return r.json(); }).then(function (topo) {
    var shapes = topojson.feature(topo, topo.objects.countries);
    shapes.features = shapes.features.filter(function (f) { return f.id !== '010'; });
    shapes.features.forEach(function (f) { if (f.geometry) fixGeometry(f.geometry); });
    L.geoJSON(shapes, {
      interactive: false, style: {color: '#9a9a9a', weight: 0.6, fillColor: '#f3f0e8', fillOpacity: 1}
    }).addTo(map).bringToBack();
  });

  function goldsteinColor(g) {
    if (g === null || g === undefined) return '#888';
    var t = Math.max(-1, Math.min(1, g / 10));
    if (t < 0) return 'rgb(' + Math.round(200 + 30 * -t) + ',' + Math.round(160 - 110 * -t) + ',' + Math.round(150 - 100 * -t) + ')';
    return 'rgb(' + Math.round(150 - 110 * t) + ',' + Math.round(160 + 20 * t) + ',' + Math.round(200 + 30 * t) + ')';
  }
  function lastDay(m) { var d = new Date(Date.UTC(+m.slice(0, 4), +m.slice(5, 7), 0)); return d.toISOString().slice(0, 10); }

  function popup(p) {
    var div = document.createElement('div');
    var b = document.createElement('b'); b.textContent = p.place + (p.country ? ' (' + p.country + ')' : '');
    div.appendChild(b);
    var s = document.createElement('div');
    s.textContent = p.events + ' events, mean Goldstein ' + p.mean_goldstein + ', ' + p.first + ' – ' + p.last;
    div.appendChild(s);
    var a = document.createElement('a');
    var q = new URLSearchParams(currentQs()); q.set('place', p.place);
    a.href = '/events?' + q.toString(); a.textContent = 'events here →';
    div.appendChild(a);
    return div;
  }

  function currentQs() {
    var q = new URLSearchParams(baseQs);
    var i = +slider.value;
    if (i < months.length) { q.set('since', months[i] + '-01'); q.set('until', lastDay(months[i])); }
    return q.toString();
  }

  function legend() {
    var box = document.getElementById('map-legend');
    box.textContent = '';
    var items = color === 'quad' ? QUAD.map(function (q, i) { return [QCOL[i], q]; })
      : [[goldsteinColor(-10), 'Goldstein −10 (conflict)'], [goldsteinColor(0), '0'], [goldsteinColor(10), '+10 (cooperation)']];
    items.forEach(function (it) {
      var sw = document.createElement('span'); sw.className = 'swatch'; sw.style.background = it[0];
      var t = document.createElement('span'); t.textContent = it[1];
      box.appendChild(sw); box.appendChild(t);
    });
  }

  function load() {
    var i = +slider.value;
    label.textContent = i < months.length ? months[i] : 'all months';
    var qs = currentQs();
    geoLink.href = el.dataset.src + '?' + qs;
    var page = new URL(window.location.href);
    if (i < months.length) page.searchParams.set('month', months[i]); else page.searchParams.delete('month');
    window.history.replaceState(null, '', page.pathname + page.search);
    el.setAttribute('data-ready', '0');
    fetch(el.dataset.src + '?' + qs).then(function (r) { return r.json(); }).then(function (fc) {
      points.clearLayers();
      var max = fc.features.reduce(function (m, f) { return Math.max(m, f.properties.events); }, 1);
      fc.features.forEach(function (f) {
        var p = f.properties, c = f.geometry.coordinates;
        var fill = color === 'quad' ? QCOL[p.main_quad - 1] : goldsteinColor(p.mean_goldstein);
        L.circleMarker([c[1], c[0]], {radius: 4 + 16 * Math.sqrt(p.events / max), color: '#333', weight: 0.8,
                                      fillColor: fill, fillOpacity: 0.8, className: 'place-marker'})
          .bindPopup(popup(p)).addTo(points);
      });
      el.setAttribute('data-ready', '1');
      el.setAttribute('data-points', String(fc.features.length));
    });
  }

  var start = new URLSearchParams(window.location.search).get('month');
  if (start && months.indexOf(start) >= 0) slider.value = months.indexOf(start);
  slider.addEventListener('input', load);
  legend();
  load();
})();
