// The demo storefront: a few home goods from the seed article, a cart, a checkout that the
// authority server confirms, a member switcher and a language switch.
const PRODUCTS = [
  { sku: 'bedding-4pc', category: 'bedding', price: '399.00', name: { 'zh-CN': '纯棉四件套', en: 'Cotton bedding set' } },
  { sku: 'pillow', category: 'pillows', price: '199.00', name: { 'zh-CN': '乳胶枕', en: 'Latex pillow' } },
  { sku: 'curtain', category: 'curtains', price: '259.00', name: { 'zh-CN': '遮光窗帘', en: 'Blackout curtains' } },
  { sku: 'purifier', category: 'energy-saving', price: '1299.00', name: { 'zh-CN': '节能空气净化器', en: 'Energy-saving air purifier' } },
  { sku: 'transit', category: 'public-transport', price: '100.00', name: { 'zh-CN': '公交卡充值', en: 'Transit card top-up' } },
  { sku: 'giftcard', category: 'gift-card', price: '200.00', name: { 'zh-CN': '礼品卡', en: 'Gift card' } },
];
const TEXT = {
  'zh-CN': { shop: '红米好物 家居', member: '会员', date: '购物日期', lang: '语言', products: '商品', cart: '购物车', total: '合计', checkout: '提交订单', add: '加入购物车', remove: '移除', empty: '购物车是空的', placed: (id) => `订单 ${id} 已提交，积分已由服务器确认`, failed: '下单失败', redeemed: (name, n) => `已兑换${name}，使用${n}积分`, redeemFailed: '兑换失败', gave: (name, n) => `已转给${name} ${n}积分`, giveFailed: '转赠失败', title: '红米好物 · 家居' },
  en: { shop: 'Hongmi Home', member: 'Member', date: 'Shopping day', lang: 'Language', products: 'Products', cart: 'Cart', total: 'Total', checkout: 'Place order', add: 'Add to cart', remove: 'Remove', empty: 'Your cart is empty', placed: (id) => `Order ${id} placed; the server confirmed the points`, failed: 'The order failed', redeemed: (name, n) => `Redeemed ${name} for ${n} points`, redeemFailed: 'The redemption failed', gave: (name, n) => `Gave ${n} points to ${name}`, giveFailed: 'The gift failed', title: 'Hongmi Home' },
};
const $ = (id) => document.getElementById(id);
const widget = $('points');
const state = { cart: new Map(), members: [], token: null, lang: 'zh-CN', offset: 0 };
/** An element with properties set (text through textContent, never HTML). */
function el(tag, props = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'dataset') Object.assign(e.dataset, v);
    else e[k] = v;
  }
  e.append(...kids);
  return e;
}

const money = () => new Intl.NumberFormat(state.lang, { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol' });
const at = () => `${$('date').value}T12:00:00+08:00`;

function lines() {
  return [...state.cart].map(([sku, qty]) => { const p = PRODUCTS.find((x) => x.sku === sku); return { id: sku, category: p.category, unit_price: p.price, quantity: qty }; });
}

function renderProducts() {
  const t = TEXT[state.lang];
  $('products').replaceChildren(...PRODUCTS.map((p) => el('li', {}, el('h3', { textContent: p.name[state.lang] }), el('p', { className: 'price', textContent: money().format(Number(p.price)) }),
    el('button', { textContent: t.add, onclick: () => { state.cart.set(p.sku, (state.cart.get(p.sku) ?? 0) + 1); cartChanged(); }, ariaLabel: `${t.add}: ${p.name[state.lang]}`, dataset: { sku: p.sku } }))));
}

function renderCart() {
  const t = TEXT[state.lang];
  const items = lines();
  $('cart-lines').replaceChildren(...(items.length ? items.map((l) => {
    const p = PRODUCTS.find((x) => x.sku === l.id);
    return el('li', {}, el('span', { textContent: `${p.name[state.lang]} × ${l.quantity}` }), el('button', { textContent: t.remove, ariaLabel: `${t.remove}: ${p.name[state.lang]}`, onclick: () => { state.cart.delete(l.id); cartChanged(); } }));
  }) : [el('li', { className: 'muted', textContent: t.empty })]));
  $('cart-total').textContent = money().format(items.reduce((s, l) => s + Number(l.unit_price) * l.quantity, 0));
}

function cartChanged() {
  renderCart();
  document.dispatchEvent(new CustomEvent('jifen:cart', { detail: { lines: lines() } }));
}

function localize() {
  const t = TEXT[state.lang];
  document.documentElement.lang = state.lang;
  document.title = t.title;
  for (const n of document.querySelectorAll('[data-i18n]')) n.textContent = t[n.dataset.i18n];
  widget.setAttribute('locale', state.lang);
  const chosen = $('member').value || state.members[0]?.id;
  $('member').replaceChildren(...state.members.map((m) => el('option', { value: m.id, textContent: memberName(m), selected: m.id === chosen })));
  renderProducts();
  renderCart();
}

async function api(path, options = {}) {
  const res = await fetch(path, { ...options, headers: { 'content-type': 'application/json', authorization: `Bearer ${state.token}`, 'x-jifen-at': at(), ...(options.headers ?? {}) } });
  const body = await res.json();
  if (!res.ok) throw Object.assign(new Error(body.errors?.[0]?.message ?? res.statusText), { body });
  return body;
}

/** A member by the name the shop knows them by, in the page's language. */
const memberName = (m) => m.name[state.lang];

/** A ledger write under a fresh idempotency key (the server answers a retry with the same key as it did the first time). */
const post = (path, body) => api(path, { method: 'POST', headers: { 'idempotency-key': crypto.randomUUID() }, body: JSON.stringify(body) });

async function switchMember(id) {
  const m = state.members.find((x) => x.id === id);
  state.token = m.token;
  const me = await api('/api/me');
  // The ledger knows household members by id; the shop adds the names it knows them by.
  if (me.household) me.household.names = Object.fromEntries(state.members.map((x) => [x.id, x.name]));
  widget.member = me;
}

async function checkout() {
  const t = TEXT[state.lang];
  if (!state.cart.size) return;
  try {
    const order = await post('/api/orders', { lines: lines(), offset_points: widget.offsetPoints || undefined, preview: widget.preview });
    widget.confirm(order.quote);
    $('order-status').textContent = t.placed(order.order_id);
  } catch (e) {
    $('order-status').textContent = `${t.failed}: ${e.message}`;
  }
}

/** A write the shopper asked for in the widget (a redemption, a gift): the server makes it in
 * the ledger, the page says what happened, and the widget gets the member's new snapshot. */
async function write(path, body, said, failed) {
  try {
    $('order-status').textContent = said(await post(path, body));
  } catch (err) {
    $('order-status').textContent = `${failed}: ${err.message}`;
  }
  await switchMember($('member').value);
}

function redeem({ detail: d }) {
  const t = TEXT[state.lang];
  return write('/api/redemptions', { reward_id: d.reward_id }, (r) => t.redeemed(d.name[state.lang], r.result.points_spent.toLocaleString(state.lang)), t.redeemFailed);
}

function give({ detail: d }) {
  const t = TEXT[state.lang];
  const to = state.members.find((m) => m.id === d.to);
  return write('/api/transfers', { to: d.to, points: d.points }, (r) => t.gave(to ? memberName(to) : d.to, r.points.toLocaleString(state.lang)), t.giveFailed);
}

async function main() {
  // The widget's first figures are for the shop's day: set before anything is awaited.
  widget.at = at();
  const demo = await (await fetch('/api/demo')).json();
  state.members = demo.members;
  $('member').addEventListener('change', (e) => switchMember(e.target.value));
  $('lang').addEventListener('change', (e) => { state.lang = e.target.value; localize(); });
  $('date').addEventListener('change', () => { widget.at = at(); switchMember($('member').value); });
  $('checkout').addEventListener('click', checkout);
  widget.addEventListener('jifen:redeem', redeem);
  widget.addEventListener('jifen:transfer', give);
  localize();
  await switchMember(demo.members[0].id);
  cartChanged();
}
main();
