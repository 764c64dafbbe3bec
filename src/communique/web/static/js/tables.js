/* A CSV download for every table of a page that has no server-side CSV link of its own
   (tables marked data-csv="client"): built from the cells as shown, in the browser. */
(function () {
  'use strict';
  function cell(text) {
    var t = text.replace(/\s+/g, ' ').trim();
    return /[",\n]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t;
  }
  document.querySelectorAll('table[data-csv="client"]').forEach(function (table, i) {
    var a = document.createElement('a');
    a.className = 'csv';
    a.textContent = '⬇ CSV';
    a.href = '#';
    a.download = (table.id || document.title.split(' · ')[0].replace(/\W+/g, '-').toLowerCase() + '-' + (i + 1)) + '.csv';
    a.addEventListener('click', function () {
      var lines = Array.prototype.map.call(table.rows, function (row) {
        return Array.prototype.map.call(row.cells, function (c) { return cell(c.textContent); }).join(',');
      });
      a.href = URL.createObjectURL(new Blob([lines.join('\n') + '\n'], {type: 'text/csv'}));
    });
    table.parentNode.insertBefore(a, table);
  });
})();
