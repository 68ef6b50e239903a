// Draws every plot of a dusim page. Each plot is a Vega-Lite spec (with its
// data) in <script type="application/json" data-plot="ID">, drawn by
// vega-embed into the element with that ID. The specs are complete: the
// "..." menu of each plot shows its source, which Altair reads as is
// (alt.Chart.from_dict), and exports SVG or PNG.
//
// When the page is opened with #selftest, it also writes what it drew into
// a hidden pre element with id "drawn": for each plot, its marks (from the rendered scene graph:
// position, size, colour and datum of every item), its axes (title, tick
// labels) and legends, so a test can compare what was drawn with the
// report's numbers (tests/tools/check_report_page.py).
(function () {
  'use strict';

  // The fields of a scene-graph item a test may need.
  function item(it) {
    const out = {};
    for (const k of ['x', 'y', 'x2', 'y2', 'width', 'height', 'fill', 'stroke', 'opacity', 'text', 'shape', 'size']) {
      if (it[k] !== undefined && it[k] !== null) out[k] = typeof it[k] === 'number' ? Math.round(it[k] * 100) / 100 : it[k];
    }
    if (it.tooltip && typeof it.tooltip === 'object') out.tooltip = Object.keys(it.tooltip);  // what hovering shows
    if (it.datum && typeof it.datum === 'object') {
      const d = {};
      for (const k in it.datum) if (k !== 'Symbol(vega_id)' && typeof it.datum[k] !== 'object') d[k] = it.datum[k];
      out.datum = d;
    }
    return out;
  }

  function walk(node, found) {
    if (!node) return;
    if (node.marktype && node.role === 'mark' && node.name) {
      found.marks[node.name] = (found.marks[node.name] || []).concat(node.items.map(item));
    }
    if (node.role === 'axis' || node.role === 'legend') {
      const texts = { title: null, labels: [], ticks: 0 };
      (function collect(n) {
        if (!n) return;
        if (n.role === 'axis-title' || n.role === 'legend-title') n.items.forEach(i => { texts.title = i.text; });
        if (n.role === 'axis-label' || n.role === 'legend-label') n.items.forEach(i => texts.labels.push(i.text));
        if (n.role === 'axis-tick') texts.ticks += n.items.length;
        (n.items || []).forEach(collect);
      })(node);
      (node.role === 'axis' ? found.axes : found.legends).push(texts);
      return;
    }
    (node.items || []).forEach(c => walk(c, found));
  }

  function describe(view) {
    const found = { marks: {}, axes: [], legends: [], width: view.width(), height: view.height() };
    walk(view.scenegraph().root, found);
    return found;
  }

  async function drawAll() {
    const drawn = {};
    for (const s of document.querySelectorAll('script[type="application/json"][data-plot]')) {
      const id = s.dataset.plot, target = document.getElementById(id);
      try {
        const spec = JSON.parse(s.textContent);
        const result = await vegaEmbed(target, spec, {
          renderer: 'svg',
          actions: { export: true, source: true, compiled: false, editor: false },  // no network: no editor link
        });
        drawn[id] = describe(result.view);
      } catch (e) {
        target.textContent = 'this plot could not be drawn: ' + e;
        target.className += ' plot-error';
        drawn[id] = { error: String(e) };
      }
    }
    document.body.dataset.plotsDrawn = String(Object.keys(drawn).length);
    if (location.hash === '#selftest') {
      const pre = document.createElement('pre');
      pre.id = 'drawn';
      pre.hidden = true;
      pre.textContent = JSON.stringify(drawn);
      pre.dataset.height = String(document.documentElement.scrollHeight);  // for a screenshot of the whole page
      document.body.appendChild(pre);
    }
  }

  drawAll();
})();
