// The marketing simulator page: builds a promotion from the form, runs the engine's
// simulator in Web Workers, one per core (progress, cancel; simulator-run.js), and draws the
// results as labelled SVG charts and a table, with CSV and JSON export. All figures come from
// the engine.
import { simulate } from './simulator-run.js';

const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';
let program;
let running; // the simulation in progress: { done, cancel }
let last;

function el(tag, props = {}, ...kids) {
  const e = document.createElement(tag);
  Object.assign(e, props);
  e.append(...kids);
  return e;
}
function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

async function loadProgram() {
  if ($('program-choice').value === 'paste') return JSON.parse($('program-json').value);
  return (await fetch('/examples/hongmi-home.program.json')).json();
}

/** The start of a form's date (`2026-04-06`) in the programme's time zone. */
function day(d) { return `${d}T00:00:00${program.utc_offset}`; }

function promotion() {
  const name = $('p-name').value || 'Promotion';
  const base = { id: 'promo', name: { 'zh-CN': name, en: name }, starts: day($('p-start').value), ends: day($('p-end').value) };
  const cats = $('p-cats').value.split(',').map((c) => c.trim()).filter(Boolean);
  const campaign = { ...base, ...(cats.length ? { categories: cats } : {}) };
  if (Number($('p-mult').value) !== 1) campaign.multiplier = $('p-mult').value;
  if ($('p-cost').value) campaign.reward_costs = { [$('p-reward').value]: Number($('p-cost').value) };
  if ($('p-bonus').value) { campaign.bonus_points = Number($('p-bonus').value); campaign.min_spend = $('p-min').value || '0'; }
  return { campaigns: [campaign] };
}

function assumptions() {
  const a = { redemption_rate: $('a-rate').value, spend_uplift: $('a-uplift').value };
  if ($('a-cpp').value) a.cost_per_point = $('a-cpp').value;
  return a;
}

function setRunning(on) {
  $('run').disabled = on;
  $('cancel').disabled = !on;
}

async function run(e) {
  e.preventDefault();
  $('status').textContent = '';
  $('status').className = '';
  try { program = await loadProgram(); } catch (err) { return fail({ message: `programme: ${err.message}` }); }
  const msg = { program, promotion: promotion(), assumptions: assumptions(), period: $('a-period').value };
  const file = $('csv').files[0];
  if (file) msg.file = file; // streamed by each worker, never read whole
  else msg.synthetic = { members: Number($('s-members').value), orders_per_member: Number($('s-orders').value), start: day($('s-start').value), days: Number($('s-days').value), seed: Number($('s-seed').value) };
  running?.cancel();
  setRunning(true);
  $('progress').value = 0;
  const run = (running = simulate(msg, (p) => { $('progress').value = p; }));
  run.done.then(
    ({ result, ms }) => { if (running !== run) return; running = null; setRunning(false); $('progress').value = 1; show(result, ms); },
    (err) => { if (running !== run) return; running = null; fail(err); },
  );
}

function fail(err) {
  setRunning(false);
  $('status').className = 'error';
  $('status').textContent = `${err.code ? `${err.code} ` : ''}${err.path ? `at ${err.path}: ` : ''}${err.message}`;
}

function cancel() {
  running?.cancel();
  running = null;
  setRunning(false);
  $('progress').value = 0;
  $('status').textContent = 'Cancelled.';
}

function show(r, ms) {
  last = r;
  $('results').hidden = false;
  $('status').textContent = `${r.orders.toLocaleString()} orders of ${r.members.toLocaleString()} members simulated in ${(ms / 1000).toFixed(2)} s.`;
  const cur = program.currency;
  const money = (s) => Number(s).toLocaleString(undefined, { style: 'currency', currency: cur, currencyDisplay: 'narrowSymbol' });
  const rows = [
    ['Revenue', money(r.baseline.revenue), money(r.promotion.revenue)],
    ['Points issued', r.baseline.points_issued, r.promotion.points_issued],
    ['Points redeemed', r.baseline.points_redeemed, r.promotion.points_redeemed],
    ['Points expired (breakage)', r.baseline.points_expired, r.promotion.points_expired],
    ['Outstanding points', r.baseline.outstanding_points, r.promotion.outstanding_points],
    [`Liability (${cur})`, money(r.baseline.liability), money(r.promotion.liability)],
    [`Cost of points (${cur})`, money(r.baseline.cost), money(r.promotion.cost)],
    ['Members moving up a tier', r.baseline.tier_moves, r.promotion.tier_moves],
  ];
  const inc = r.incremental;
  $('summary').replaceChildren(
    el('thead', {}, el('tr', {}, el('th', { textContent: '' }), el('th', { scope: 'col', textContent: 'Baseline' }), el('th', { scope: 'col', textContent: 'Promotion' }))),
    el('tbody', {}, ...rows.map(([k, a, b]) => el('tr', {}, el('th', { scope: 'row', textContent: k }), el('td', { textContent: a.toLocaleString() }), el('td', { textContent: b.toLocaleString() })))),
    el('tfoot', {}, el('tr', {}, el('th', { scope: 'row', textContent: 'Incremental cost per incremental revenue' }), el('td', { colSpan: 2, textContent: inc.cost_per_revenue ? `${inc.cost_per_revenue} (${money(inc.cost)} for ${money(inc.revenue)})` : `no extra revenue (${money(inc.cost)} extra cost)` }))),
  );
  const series = (key) => r.series.map((p) => [p.period, Number(p.baseline[key]), Number(p.promotion[key])]);
  $('charts').replaceChildren(
    lineChart('Points issued per period', 'points', series('issued')),
    lineChart('Points redeemed per period', 'points', series('redeemed')),
    lineChart('Points expired per period (breakage)', 'points', series('expired')),
    lineChart(`Outstanding liability (${cur})`, cur, series('liability')),
    barChart('Members per tier at the end', tierRows(r)),
  );
}

/** Tiers in the programme's order (lowest first) with their names, then any other tier a
 * promotion's own programme adds. */
function tierRows(r) {
  const ids = [...(program.tiers ?? []).map((t) => t.id), ...Object.keys(r.baseline.tiers), ...Object.keys(r.promotion.tiers)];
  const name = (id) => program.tiers?.find((t) => t.id === id)?.name.en ?? id;
  return [...new Set(ids)].map((id) => [name(id), r.baseline.tiers[id] ?? 0, r.promotion.tiers[id] ?? 0]);
}

/** The axis top for four gridlines at round values (4 × 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k). */
function axisMax(max) {
  const raw = Math.max(1, max) / 4;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map((m) => m * pow).find((v) => v >= raw);
  return step * 4;
}

const W = 440;
const H = 240;
const PAD = { l: 64, r: 12, t: 28, b: 44 };

function frame(title, max, unit) {
  const s = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title, class: 'panel' });
  s.append(svg('title', {}, title), svg('text', { x: PAD.l, y: 18, 'font-weight': 600, 'font-size': 13 }, title));
  for (let i = 0; i <= 4; i++) {
    const y = H - PAD.b - ((H - PAD.t - PAD.b) * i) / 4;
    s.append(svg('line', { x1: PAD.l, x2: W - PAD.r, y1: y, y2: y, stroke: '#eaeef2' }), svg('text', { x: PAD.l - 6, y: y + 4, 'text-anchor': 'end', 'font-size': 10, fill: '#59636e' }, Math.round((max * i) / 4).toLocaleString()));
  }
  s.append(svg('text', { x: 12, y: PAD.t + (H - PAD.t - PAD.b) / 2, transform: `rotate(-90 12 ${PAD.t + (H - PAD.t - PAD.b) / 2})`, 'text-anchor': 'middle', 'font-size': 10, fill: '#59636e' }, unit));
  s.append(svg('rect', { x: W - 170, y: H - 16, width: 10, height: 10, fill: '#8c959f' }), svg('text', { x: W - 156, y: H - 7, 'font-size': 10 }, 'baseline'),
    svg('rect', { x: W - 100, y: H - 16, width: 10, height: 10, fill: '#c8102e' }), svg('text', { x: W - 86, y: H - 7, 'font-size': 10 }, 'promotion'));
  return s;
}

function lineChart(title, unit, data) {
  const max = axisMax(Math.max(4, ...data.flatMap(([, a, b]) => [a, b])));
  const s = frame(title, max, unit);
  const x = (i) => PAD.l + ((W - PAD.l - PAD.r) * (data.length < 2 ? 0.5 : i / (data.length - 1)));
  const y = (v) => H - PAD.b - ((H - PAD.t - PAD.b) * v) / max;
  for (const [col, color] of [[1, '#8c959f'], [2, '#c8102e']]) {
    s.append(svg('polyline', { points: data.map((d, i) => `${x(i)},${y(d[col])}`).join(' '), fill: 'none', stroke: color, 'stroke-width': 2 }));
  }
  const every = Math.max(1, Math.ceil(data.length / 6));
  data.forEach((d, i) => { if (i % every === 0) s.append(svg('text', { x: x(i), y: H - PAD.b + 14, 'text-anchor': i > 0 && i === data.length - 1 ? 'end' : 'middle', 'font-size': 10, fill: '#59636e' }, d[0])); });
  return s;
}

function barChart(title, data) {
  const max = axisMax(Math.max(4, ...data.flatMap(([, a, b]) => [a, b])));
  const s = frame(title, max, 'members');
  const slot = (W - PAD.l - PAD.r) / Math.max(1, data.length);
  const y = (v) => ((H - PAD.t - PAD.b) * v) / max;
  data.forEach(([tier, a, b], i) => {
    const x0 = PAD.l + slot * i + slot * 0.15;
    const bw = slot * 0.33;
    s.append(svg('rect', { x: x0, y: H - PAD.b - y(a), width: bw, height: y(a), fill: '#8c959f' }, `${tier} baseline ${a}`),
      svg('rect', { x: x0 + bw, y: H - PAD.b - y(b), width: bw, height: y(b), fill: '#c8102e' }, `${tier} promotion ${b}`),
      svg('text', { x: x0 + bw, y: H - PAD.b + 14, 'text-anchor': 'middle', 'font-size': 10 }, tier));
  });
  return s;
}

function download(name, type, text) {
  const a = el('a', { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  document.body.append(a);
  a.click();
  a.remove();
}

function exportCsv() {
  const cols = ['revenue', 'issued', 'redeemed', 'expired', 'outstanding', 'liability'];
  const lines = ['period,scenario,' + cols.join(',')];
  for (const p of last.series) for (const sc of ['baseline', 'promotion']) lines.push([p.period, sc, ...cols.map((c) => p[sc][c])].join(','));
  download('jifen-simulation.csv', 'text/csv', `${lines.join('\n')}\n`);
}

async function main() {
  program = await loadProgram();
  $('p-reward').replaceChildren(...program.rewards.map((r) => el('option', { value: r.id, textContent: `${r.name.en} (${r.cost})` })));
  $('program-choice').addEventListener('change', (e) => { $('program-json').hidden = e.target.value !== 'paste'; });
  $('form').addEventListener('submit', run);
  $('cancel').addEventListener('click', cancel);
  $('export-csv').addEventListener('click', exportCsv);
  $('export-json').addEventListener('click', () => download('jifen-simulation.json', 'application/json', JSON.stringify(last, null, 1)));
}
main();
