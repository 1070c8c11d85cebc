// The marketing simulator page: builds a promotion from the form, runs the engine's
// simulator in Web Workers, one per core (progress, cancel; simulator-run.js), and draws the
// results as labelled SVG charts and a table, with CSV and JSON export. All figures come from
// the engine.
import { simulate } from './simulator-run.js';

const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';
let program;
let running; // the simulation in progress: { done, cancel }
let last; // the last result and its time, redrawn when the language changes

/** The page's words in both languages; programme text (tier and reward names) comes from the
 * programme in the same language. */
const TEXT = {
  en: {
    title: 'jifen · Promotion simulator', heading: 'Promotion simulator', lang: 'Language', form: 'Simulation settings', programmeJson: 'Programme JSON', progress: 'Progress', results: 'Results',
    programme: 'Programme', reference: 'Hongmi Home (reference)', paste: 'Paste JSON…',
    promotion: 'Promotion', pName: 'Name', defaultName: 'Double points week', pStart: 'Starts', pEnd: 'Ends (exclusive)', pCats: 'Categories (comma-separated; empty = all)', knownCats: 'The programme names:', pMult: 'Points multiplier', pReward: 'Reward with a lower cost', pCost: 'Lower cost (points; empty = none)', pBonus: 'Spend bonus points (empty = none)', pMin: '…for orders of at least',
    assumptions: 'Assumptions', aRate: 'Share of affordable rewards redeemed (0–1)', aCpp: 'Cost of a point to the merchant (money; empty = reward value per point)', aUplift: 'Spend uplift while the promotion runs (0.1 = +10%)', aPeriod: 'Series by', month: 'month', week: 'week',
    cohort: 'Cohort', csv: 'Upload orders CSV (member_id,at,amount,category)', orSynthetic: '…or a synthetic cohort:', sMembers: 'Members', sOrders: 'Orders per member', sStart: 'First day', sDays: 'Days', sSeed: 'Seed',
    run: 'Run', cancel: 'Cancel', cancelled: 'Cancelled.', summary: 'Summary', exportCsv: 'Export CSV', exportJson: 'Export JSON',
    done: (orders, members, s) => `${orders} orders of ${members} members simulated in ${s} s.`,
    revenue: 'Revenue', issued: 'Points issued', redeemed: 'Points redeemed', expired: 'Points expired (breakage)', outstanding: 'Outstanding points', liability: (c) => `Liability (${c})`, cost: (c) => `Cost of points (${c})`, tierMoves: 'Members moving up a tier',
    baseline: 'Baseline', promoted: 'Promotion', incremental: 'Incremental cost per incremental revenue',
    perRevenue: (ratio, cost, revenue) => `${ratio} (${cost} for ${revenue})`, noRevenue: (cost) => `no extra revenue (${cost} extra cost)`,
    cIssued: 'Points issued per period', cRedeemed: 'Points redeemed per period', cExpired: 'Points expired per period (breakage)', cLiability: (c) => `Outstanding liability (${c})`, cTiers: 'Members per tier at the end',
    points: 'points', members: 'members', lineBaseline: 'baseline', linePromotion: 'promotion',
  },
  'zh-CN': {
    title: 'jifen · 促销模拟', heading: '促销模拟', lang: '语言', form: '模拟设置', programmeJson: '积分方案 JSON', progress: '进度', results: '结果',
    programme: '积分方案', reference: '红米好物 家居（参考方案）', paste: '粘贴 JSON…',
    promotion: '促销活动', pName: '名称', defaultName: '双倍积分周', pStart: '开始日期', pEnd: '结束日期（不含当天）', pCats: '品类（用逗号分隔；留空为全部）', knownCats: '方案中的品类：', pMult: '积分倍数', pReward: '降低所需积分的兑换礼品', pCost: '活动期间所需积分（留空为不降低）', pBonus: '满额赠送积分（留空为不赠送）', pMin: '……单笔订单满',
    assumptions: '假设', aRate: '可兑换礼品中实际兑换的比例（0–1）', aCpp: '每积分的商家成本（金额；留空按礼品每分价值计）', aUplift: '活动期间消费提升（0.1 即 +10%）', aPeriod: '统计周期', month: '按月', week: '按周',
    cohort: '会员群体', csv: '上传订单 CSV（member_id,at,amount,category）', orSynthetic: '……或生成模拟会员群体：', sMembers: '会员数', sOrders: '每位会员订单数', sStart: '起始日期', sDays: '天数', sSeed: '随机种子',
    run: '运行', cancel: '取消', cancelled: '已取消。', summary: '汇总', exportCsv: '导出 CSV', exportJson: '导出 JSON',
    done: (orders, members, s) => `已模拟${members}位会员的${orders}笔订单，用时${s}秒。`,
    revenue: '销售额', issued: '发放积分', redeemed: '兑换积分', expired: '过期积分（沉没）', outstanding: '未使用积分', liability: (c) => `积分负债（${c}）`, cost: (c) => `积分成本（${c}）`, tierMoves: '升级的会员数',
    baseline: '基准', promoted: '促销', incremental: '每单位新增销售额的新增成本',
    perRevenue: (ratio, cost, revenue) => `${ratio}（新增成本${cost}，新增销售额${revenue}）`, noRevenue: (cost) => `无新增销售额（新增成本${cost}）`,
    cIssued: '每期发放积分', cRedeemed: '每期兑换积分', cExpired: '每期过期积分（沉没）', cLiability: (c) => `未使用积分的负债（${c}）`, cTiers: '期末各等级会员数',
    points: '积分', members: '会员', lineBaseline: '基准', linePromotion: '促销',
  },
};
/** The browser's language unless `?lang=` names one. */
let lang = new URLSearchParams(location.search).get('lang') ?? (navigator.language?.startsWith('zh') ? 'zh-CN' : 'en');
if (!TEXT[lang]) lang = 'en';
const t = () => TEXT[lang];
const num = (n) => Number(n).toLocaleString(lang);

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

/** The promotion's categories as typed: comma-separated, blanks dropped. */
const categories = () => $('p-cats').value.split(',').map((c) => c.trim()).filter(Boolean);

function promotion() {
  const name = $('p-name').value || 'Promotion';
  const base = { id: 'promo', name: { 'zh-CN': name, en: name }, starts: day($('p-start').value), ends: day($('p-end').value) };
  const cats = categories();
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
  try { program = await loadProgram(); } catch (err) { return fail({ message: `${t().programme}: ${err.message}` }); }
  const msg = { program, promotion: promotion(), assumptions: assumptions(), period: $('a-period').value };
  const file = $('csv').files[0];
  if (file) msg.file = file; // streamed by each worker, never read whole
  else msg.synthetic = { members: Number($('s-members').value), orders_per_member: Number($('s-orders').value), start: day($('s-start').value), days: Number($('s-days').value), seed: Number($('s-seed').value) };
  running?.cancel();
  setRunning(true);
  $('progress').value = 0;
  const run = (running = simulate(msg, (p) => { $('progress').value = p; }));
  run.done.then(
    ({ result, ms }) => { if (running !== run) return; running = null; setRunning(false); $('progress').value = 1; last = { r: result, ms }; show(); },
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
  $('status').textContent = t().cancelled;
}

/** Draws the last result in the page's language. */
function show() {
  const { r, ms } = last;
  const w = t();
  $('results').hidden = false;
  $('status').textContent = w.done(num(r.orders), num(r.members), (ms / 1000).toFixed(2));
  const cur = program.currency;
  const money = (s) => Number(s).toLocaleString(lang, { style: 'currency', currency: cur, currencyDisplay: 'narrowSymbol' });
  const rows = [
    [w.revenue, money(r.baseline.revenue), money(r.promotion.revenue)],
    [w.issued, num(r.baseline.points_issued), num(r.promotion.points_issued)],
    [w.redeemed, num(r.baseline.points_redeemed), num(r.promotion.points_redeemed)],
    [w.expired, num(r.baseline.points_expired), num(r.promotion.points_expired)],
    [w.outstanding, num(r.baseline.outstanding_points), num(r.promotion.outstanding_points)],
    [w.liability(cur), money(r.baseline.liability), money(r.promotion.liability)],
    [w.cost(cur), money(r.baseline.cost), money(r.promotion.cost)],
    [w.tierMoves, num(r.baseline.tier_moves), num(r.promotion.tier_moves)],
  ];
  const inc = r.incremental;
  $('summary').replaceChildren(
    el('thead', {}, el('tr', {}, el('th', { textContent: '' }), el('th', { scope: 'col', textContent: w.baseline }), el('th', { scope: 'col', textContent: w.promoted }))),
    el('tbody', {}, ...rows.map(([k, a, b]) => el('tr', {}, el('th', { scope: 'row', textContent: k }), el('td', { textContent: a }), el('td', { textContent: b })))),
    el('tfoot', {}, el('tr', {}, el('th', { scope: 'row', textContent: w.incremental }), el('td', { colSpan: 2, textContent: inc.cost_per_revenue ? w.perRevenue(inc.cost_per_revenue, money(inc.cost), money(inc.revenue)) : w.noRevenue(money(inc.cost)) }))),
  );
  const series = (key) => r.series.map((p) => [p.period, Number(p.baseline[key]), Number(p.promotion[key])]);
  $('charts').replaceChildren(
    lineChart(w.cIssued, w.points, series('issued')),
    lineChart(w.cRedeemed, w.points, series('redeemed')),
    lineChart(w.cExpired, w.points, series('expired')),
    lineChart(w.cLiability(cur), cur, series('liability')),
    barChart(w.cTiers, tierRows(r)),
  );
}

/** Tiers in the programme's order (lowest first) with their names, then any other tier a
 * promotion's own programme adds. */
function tierRows(r) {
  const ids = [...(program.tiers ?? []).map((x) => x.id), ...Object.keys(r.baseline.tiers), ...Object.keys(r.promotion.tiers)];
  const name = (id) => program.tiers?.find((x) => x.id === id)?.name[lang] ?? id;
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
    s.append(svg('line', { x1: PAD.l, x2: W - PAD.r, y1: y, y2: y, stroke: '#eaeef2' }), svg('text', { x: PAD.l - 6, y: y + 4, 'text-anchor': 'end', 'font-size': 10, fill: '#59636e' }, num(Math.round((max * i) / 4))));
  }
  s.append(svg('text', { x: 12, y: PAD.t + (H - PAD.t - PAD.b) / 2, transform: `rotate(-90 12 ${PAD.t + (H - PAD.t - PAD.b) / 2})`, 'text-anchor': 'middle', 'font-size': 10, fill: '#59636e' }, unit));
  s.append(svg('rect', { x: W - 170, y: H - 16, width: 10, height: 10, fill: '#8c959f' }), svg('text', { x: W - 156, y: H - 7, 'font-size': 10 }, t().lineBaseline),
    svg('rect', { x: W - 100, y: H - 16, width: 10, height: 10, fill: '#c8102e' }), svg('text', { x: W - 86, y: H - 7, 'font-size': 10 }, t().linePromotion));
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
  const s = frame(title, max, t().members);
  const slot = (W - PAD.l - PAD.r) / Math.max(1, data.length);
  const y = (v) => ((H - PAD.t - PAD.b) * v) / max;
  data.forEach(([tier, a, b], i) => {
    const x0 = PAD.l + slot * i + slot * 0.15;
    const bw = slot * 0.33;
    s.append(svg('rect', { x: x0, y: H - PAD.b - y(a), width: bw, height: y(a), fill: '#8c959f' }, `${tier} ${t().lineBaseline} ${a}`),
      svg('rect', { x: x0 + bw, y: H - PAD.b - y(b), width: bw, height: y(b), fill: '#c8102e' }, `${tier} ${t().linePromotion} ${b}`),
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
  for (const p of last.r.series) for (const sc of ['baseline', 'promotion']) lines.push([p.period, sc, ...cols.map((c) => p[sc][c])].join(','));
  download('jifen-simulation.csv', 'text/csv', `${lines.join('\n')}\n`);
}

/** Puts every word of the page in `lang`, and redraws the last result in it. */
function localize() {
  const w = t();
  document.documentElement.lang = lang;
  document.title = w.title;
  $('lang').value = lang;
  for (const n of document.querySelectorAll('[data-i18n]')) n.textContent = w[n.dataset.i18n];
  // The promotion's name follows the language until someone types their own.
  if (Object.values(TEXT).some((x) => x.defaultName === $('p-name').value)) $('p-name').value = w.defaultName;
  $('form').setAttribute('aria-label', w.form);
  $('program-json').setAttribute('aria-label', w.programmeJson);
  $('progress').setAttribute('aria-label', w.progress);
  $('results').setAttribute('aria-label', w.results);
  const chosen = $('p-reward').value;
  $('p-reward').replaceChildren(...(program?.rewards ?? []).map((r) => el('option', { value: r.id, textContent: `${r.name[lang] ?? r.name.en} (${num(r.cost)})` })));
  if (chosen) $('p-reward').value = chosen;
  knownCategories();
  if (last) show();
}

/** The categories the programme's rules name, as buttons that add one to the promotion's
 * list: a category is an id, and a misspelt one matches no order without a word. Each shows
 * its display name where the programme gives one. */
function knownCategories() {
  const p = program ?? {};
  const ids = [...new Set([...(p.earn?.excluded_categories ?? []), ...(p.point_kinds ?? []).flatMap((k) => k.categories ?? []), ...(p.campaigns ?? []).flatMap((c) => c.categories ?? [])])];
  const add = (id) => {
    const list = categories();
    if (!list.includes(id)) $('p-cats').value = [...list, id].join(',');
  };
  const label = (id) => { const name = p.display_names?.[id]?.[lang]; return name ? `${name} ${id}` : id; };
  $('p-cats-known').replaceChildren(...(ids.length ? [t().knownCats, ' ', ...ids.map((id) => el('button', { type: 'button', textContent: label(id), onclick: () => add(id) }))] : []));
}

async function main() {
  program = await loadProgram();
  localize();
  $('lang').addEventListener('change', (e) => { lang = e.target.value; localize(); });
  // The reward list and the category buttons follow the chosen programme (a paste that does
  // not parse is reported when the run starts).
  const reload = () => loadProgram().then((p) => { program = p; localize(); }, () => {});
  $('program-choice').addEventListener('change', (e) => { $('program-json').hidden = e.target.value !== 'paste'; reload(); });
  $('program-json').addEventListener('change', reload);
  $('form').addEventListener('submit', run);
  $('cancel').addEventListener('click', cancel);
  $('export-csv').addEventListener('click', exportCsv);
  $('export-json').addEventListener('click', () => download('jifen-simulation.json', 'application/json', JSON.stringify(last.r, null, 1)));
}
main();
