// report.html: one self-contained page (no network, no external files) that
// draws its plots as SVG from the report and trace embedded in it: the
// update timeline across CPUs, the blocked-call histogram, coherence traffic
// over time per CPU, and before/during/after comparisons. Each plot's <svg>
// gets data-drawn="N" (the number of marks drawn) so a test can check it.
#include <string>

#include "report/report_builder.h"

namespace dusim::report {

namespace {

// JSON inside <script>: keep "</" from closing the element.
std::string embed(const nlohmann::ordered_json& j) {
  std::string s = j.dump();
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<' && i + 1 < s.size() && s[i + 1] == '/') out += "<\\/", ++i;
    else out += s[i];
  }
  return out;
}

const char* const kPage = R"HTML(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>dusim report</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse}td,th{padding:2px 10px;border-bottom:1px solid #ddd;text-align:left}
.pass{color:#1a7f37}.fail{color:#c00;font-weight:bold}svg{background:#fafafa;border:1px solid #ddd}
.legend span{display:inline-block;margin-right:14px}.sw{display:inline-block;width:10px;height:10px;margin-right:4px}
</style></head><body>
<h1 id="title">dusim report</h1><div id="meta"></div>
<h2>Checks</h2><table id="checks"></table>
<h2>Updates</h2><table id="updates"></table>
<h2>Update timeline across CPUs</h2><svg id="plot-timeline" width="1060" height="200"></svg><div class="legend" id="timeline-legend"></div>
<h2>Blocked calls (histogram of blocked time)</h2><svg id="plot-blocked" width="1060" height="220"></svg>
<h2>Coherence traffic over time (L1 misses per sample interval, per CPU)</h2><svg id="plot-traffic" width="1060" height="260"></svg>
<h2>Before, during and after the update</h2><svg id="plot-compare" width="1060" height="260"></svg>
<h2>Metrics</h2><table id="metrics"></table>
<script type="application/json" id="report-data">@REPORT@</script>
<script type="application/json" id="trace-data">@TRACE@</script>
<script>
const R = JSON.parse(document.getElementById('report-data').textContent);
const T = JSON.parse(document.getElementById('trace-data').textContent).traceEvents;
const NS = 'http://www.w3.org/2000/svg';
const palette = ['#4e79a7','#f28e2b','#e15759','#76b7b2','#59a14f','#edc948','#b07aa1','#ff9da7','#9c755f','#bab0ac','#1b9e77','#7570b3'];
function el(svg, tag, attrs, text) { const e = document.createElementNS(NS, tag); for (const k in attrs) e.setAttribute(k, attrs[k]); if (text !== undefined) e.textContent = text; svg.appendChild(e); return e; }
function row(table, cells, cls) { const tr = document.createElement('tr'); cells.forEach(c => { const td = document.createElement('td'); td.textContent = c; if (cls) td.className = cls; tr.appendChild(td); }); table.appendChild(tr); }
function axis(svg, x0, y0, w, h, xmax, xlabel, ymax, ylabel) {
  el(svg, 'line', {x1:x0, y1:y0+h, x2:x0+w, y2:y0+h, stroke:'#444'}); el(svg, 'line', {x1:x0, y1:y0, x2:x0, y2:y0+h, stroke:'#444'});
  el(svg, 'text', {x:x0+w, y:y0+h+28, 'text-anchor':'end', 'font-size':11}, xlabel + ' (max ' + xmax.toFixed(1) + ')');
  if (ylabel) el(svg, 'text', {x:x0-6, y:y0+8, 'text-anchor':'end', 'font-size':11}, ylabel + ' ' + ymax);
}
function empty(svg, why) { el(svg, 'text', {x:20, y:40, 'font-size':13, fill:'#888'}, why); svg.setAttribute('data-drawn', '0'); }

document.getElementById('title').textContent = 'dusim report: ' + R.scenario;
document.getElementById('meta').textContent = R.description + ' — ' + R.machine.cpus + ' CPUs, ' + R.machine.protocol +
  ', quantum ' + R.machine.quantum_cycles + ' cycles, seed ' + R.seed + ', ' + (R.run.end_ns / 1e6).toFixed(3) + ' ms simulated, ' + R.run.outcome;
R.checks.forEach(c => row(document.getElementById('checks'), [c.passed ? 'PASS' : 'FAIL', c.name, c.detail], c.passed ? 'pass' : 'fail'));
row(document.getElementById('updates'), ['update', 'status', 'requested ns', 'latency ns', 'blocked calls', 'max blocked ns']);
R.updates.forEach(u => row(document.getElementById('updates'), [u.name, u.status, u.requested_ns, u.latency_ns === null ? '-' : u.latency_ns, u.blocked_calls.count, u.blocked_calls.max_ns]));
for (const k in R.metrics) row(document.getElementById('metrics'), [k, JSON.stringify(R.metrics[k])]);

(function timeline() {
  const svg = document.getElementById('plot-timeline');
  const slices = T.filter(e => e.ph === 'X');
  const cpus = R.machine.cpus, rowH = Math.max(6, Math.min(24, 160 / cpus));
  svg.setAttribute('height', 60 + rowH * cpus);
  if (!slices.length && !R.updates.length) return empty(svg, 'no update phases or blocked calls were recorded');
  let t0 = Infinity, t1 = 0;
  slices.forEach(s => { t0 = Math.min(t0, s.ts); t1 = Math.max(t1, s.ts + s.dur); });
  R.updates.forEach(u => { t0 = Math.min(t0, u.requested_ns / 1000); t1 = Math.max(t1, (u.completed_ns || u.requested_ns) / 1000); });
  if (!(t1 > t0)) t1 = t0 + 1;
  const x0 = 60, w = 980, x = t => x0 + (t - t0) / (t1 - t0) * w;
  const names = [...new Set(slices.map(s => s.name))], color = n => palette[names.indexOf(n) % palette.length];
  let drawn = 0;
  for (let c = 0; c < cpus; ++c) el(svg, 'text', {x:x0-6, y:20 + c*rowH + rowH*0.8, 'text-anchor':'end', 'font-size':Math.min(11, rowH)}, 'cpu ' + c);
  slices.forEach(s => { el(svg, 'rect', {x:x(s.ts), y:20 + s.tid*rowH, width:Math.max(1, x(s.ts+s.dur)-x(s.ts)), height:rowH-1, fill:color(s.name)}).appendChild(document.createElementNS(NS,'title')).textContent = s.name + ' ' + (s.dur*1000).toFixed(0) + ' ns'; ++drawn; });
  R.updates.forEach(u => { el(svg, 'line', {x1:x(u.requested_ns/1000), x2:x(u.requested_ns/1000), y1:10, y2:20+rowH*cpus, stroke:'#c00', 'stroke-dasharray':'4 3'}); ++drawn; });
  axis(svg, x0, 20, w, rowH*cpus, t1 - t0, 'time (us) from ' + t0.toFixed(1));
  svg.setAttribute('data-drawn', drawn);
  document.getElementById('timeline-legend').innerHTML = names.map(n => '<span><i class="sw" style="background:' + color(n) + '"></i>' + n + '</span>').join('') + '<span style="color:#c00">- - update requested</span>';
})();

(function blocked() {
  const svg = document.getElementById('plot-blocked');
  const d = T.filter(e => e.ph === 'X' && e.cat === 'blocked').map(e => e.dur * 1000);
  if (!d.length) return empty(svg, 'no call was blocked');
  const max = Math.max(...d), bins = 30, counts = new Array(bins).fill(0);
  d.forEach(v => counts[Math.min(bins - 1, Math.floor(v / (max || 1) * bins))]++);
  const cmax = Math.max(...counts), x0 = 60, y0 = 20, w = 980, h = 160;
  counts.forEach((c, i) => el(svg, 'rect', {x:x0 + i*w/bins, y:y0 + h - c/cmax*h, width:w/bins - 2, height:c/cmax*h, fill:'#e15759'}));
  axis(svg, x0, y0, w, h, max, 'blocked time (ns)', cmax, 'calls');
  svg.setAttribute('data-drawn', bins);
})();

(function traffic() {
  const svg = document.getElementById('plot-traffic');
  const pts = {};
  T.filter(e => e.ph === 'C').forEach(e => { (pts[e.name] = pts[e.name] || []).push([e.ts, e.args.misses]); });
  const names = Object.keys(pts);
  if (!names.length) return empty(svg, 'no traffic samples');
  let tmax = 0, vmax = 1;
  names.forEach(n => pts[n].forEach(([t, v]) => { tmax = Math.max(tmax, t); vmax = Math.max(vmax, v); }));
  const x0 = 60, y0 = 20, w = 980, h = 200;
  names.forEach((n, i) => { el(svg, 'polyline', {fill:'none', stroke:palette[i % palette.length], 'stroke-width':1.2,
    points:pts[n].map(([t, v]) => (x0 + t/(tmax||1)*w).toFixed(1) + ',' + (y0 + h - v/vmax*h).toFixed(1)).join(' ')}); });
  R.updates.forEach(u => el(svg, 'line', {x1:x0 + u.requested_ns/1000/(tmax||1)*w, x2:x0 + u.requested_ns/1000/(tmax||1)*w, y1:y0, y2:y0+h, stroke:'#c00', 'stroke-dasharray':'4 3'}));
  axis(svg, x0, y0, w, h, tmax, 'time (us)', vmax, 'misses');
  svg.setAttribute('data-drawn', names.length);
})();

(function compare() {
  const svg = document.getElementById('plot-compare');
  const keys = ['misses', 'invalidations', 'c2c_transfers', 'bus_transactions'], wins = ['before', 'during', 'after'];
  const dur = w => Math.max(1, R.coherence[w].end_ns - R.coherence[w].start_ns);
  // Rates per microsecond, so windows of different lengths compare.
  let vmax = 0; const rate = (w, k) => R.coherence[w].total[k] / dur(w) * 1000;
  keys.forEach(k => wins.forEach(w => vmax = Math.max(vmax, rate(w, k))));
  if (!(vmax > 0)) return empty(svg, 'no coherence traffic');
  const x0 = 60, y0 = 20, h = 180, gw = 240; let drawn = 0;
  keys.forEach((k, i) => { wins.forEach((w, j) => { const v = rate(w, k);
      el(svg, 'rect', {x:x0 + i*gw + j*60, y:y0 + h - v/vmax*h, width:52, height:v/vmax*h, fill:palette[j]}); ++drawn;
      el(svg, 'text', {x:x0 + i*gw + j*60 + 26, y:y0 + h + 14, 'text-anchor':'middle', 'font-size':10}, w); });
    el(svg, 'text', {x:x0 + i*gw + 90, y:y0 + h + 32, 'text-anchor':'middle', 'font-size':12}, k + ' per us'); });
  svg.setAttribute('data-drawn', drawn);
})();
</script></body></html>
)HTML";

}  // namespace

std::string build_html(const nlohmann::ordered_json& report, const nlohmann::ordered_json& trace) {
  std::string page = kPage;
  auto put = [&](const std::string& key, const std::string& value) {
    size_t at = page.find(key);
    page.replace(at, key.size(), value);
  };
  put("@REPORT@", embed(report));
  put("@TRACE@", embed(trace));
  return page;
}

}  // namespace dusim::report
