// <jifen-points>: the checkout points widget. One <script type="module"> and one tag:
//
//   <script type="module" src="/jifen-points.js"></script>
//   <jifen-points program-src="/api/program" locale="zh-CN"></jifen-points>
//
// Properties: `program` (object), `member` (the snapshot the merchant's server gives:
// {member: {id, tier?, tier_stats?, wallet}, household?: {members, sent_this_month?, names?}},
// where `names` maps a member id to the name the shop knows them by, a string or
// {"zh-CN", en}; the gift panel shows ids without one), `cart`
// ({lines, order_discount?}),
// `at` (Date or RFC 3339; now by default). The page fires `jifen:cart` on document with the
// cart as `detail` when the cart changes. The widget fires `jifen:offset` ({points}) when
// the shopper picks points to pay with, `jifen:quote` ({total_points, confirmed}) after
// every rendered quote, `jifen:redeem` ({reward_id, points, name}) when the shopper confirms
// a reward they can afford, and `jifen:transfer` ({to, points}) when they give the gift they
// previewed (for both, the page asks its server, then sets the new `member` snapshot).
// `confirm(quote)` shows the authority's figures.
//
// Every figure comes from the jifen engine (WebAssembly): the widget only renders. Merchant
// text is always set with textContent, never parsed as HTML.

// The labels load beside the engine and the programme, not before them: a static import
// would hold the element back until jifen-i18n.js had arrived.
let LABELS;
const labelsReady = import('./jifen-i18n.js').then((m) => { LABELS = m.LABELS; });

// Two font weights only (400 and 700), and no family that `system-ui` already covers
// (`-apple-system`): each weight and family the first frame names is a font lookup, and for
// CJK text Chromium walks the list on every one. 500 and 600 drew as 400 and 700 with most
// CJK fonts anyway. First visits paint 4–8 ms sooner (interleaved A/B runs of 40–60 pages).
const STYLE = `
:host{--jifen-accent:#c8102e;--jifen-bg:#fff;--jifen-fg:#1f2328;--jifen-muted:#59636e;--jifen-border:#d0d7de;--jifen-radius:10px;--jifen-font:system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;
display:block;font:14px/1.5 var(--jifen-font);color:var(--jifen-fg);background:var(--jifen-bg);border:1px solid var(--jifen-border);border-radius:var(--jifen-radius);padding:16px;max-width:480px}
h2{font-size:16px;margin:0 0 8px;display:flex;gap:8px;align-items:center}h3{font-size:14px;margin:14px 0 6px}
.badge{font-size:12px;padding:1px 8px;border-radius:999px;border:1px solid var(--jifen-border);color:var(--jifen-muted)}
.badge.ok{background:#1a7f37;border-color:#1a7f37;color:#fff}.badge.season{background:var(--jifen-accent);border-color:var(--jifen-accent);color:#fff;margin-left:6px}
.total{font-size:28px;font-weight:700;color:var(--jifen-accent)}.muted{color:var(--jifen-muted);font-size:13px}
ul{list-style:none;margin:0;padding:0}li{padding:4px 0;border-bottom:1px dashed var(--jifen-border)}li:last-child{border-bottom:0}
.row{display:flex;justify-content:space-between;gap:8px}.bar{height:8px;background:#eaeef2;border-radius:4px;overflow:hidden;margin:4px 0}
.bar>span{display:block;height:100%;background:var(--jifen-accent)}.note{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:6px 8px;margin:8px 0}
.warn{background:#ffebe9;border-color:#ff8182}input[type=range]{width:100%}input[type=number]{width:7em}
button{font:inherit;padding:4px 12px;border-radius:6px;border:1px solid var(--jifen-accent);background:var(--jifen-bg);color:var(--jifen-accent);cursor:pointer}
:focus-visible{outline:3px solid var(--jifen-accent);outline-offset:2px}details{margin-top:12px}summary{cursor:pointer;font-weight:700}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}`;

let engineModule;
/** Imports and starts the engine once per page; `meanwhile` runs while the .wasm compiles. */
async function loadEngine(src, meanwhile) {
  engineModule ??= import(new URL(src, document.baseURI).href).then(async (m) => {
    const ready = m.default();
    meanwhile();
    await ready;
    return m;
  });
  return engineModule;
}

/**
 * Number, money and date formatters, made once per locale and currency. A page's first `Intl`
 * formatter starts ICU (13–25 ms in Chromium, whatever the locale), so the widget makes its
 * formatters while the .wasm compiles rather than after. Money shows the currency's narrow
 * symbol (¥, $), as the engine's rules and reasons beside it do: `en` would otherwise say
 * "CN¥" in the figures and "¥" in the sentences.
 */
const formatCache = new Map();
function formats(locale, currency) {
  const key = `${locale} ${currency}`;
  let f = formatCache.get(key);
  if (f) return f;
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' });
  const date = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  const short = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const num = new Intl.NumberFormat(locale);
  // A value per point: the currency's own decimals at least (¥0.10, not ¥0.1), up to 4 (¥0.075).
  const cents = money.resolvedOptions().minimumFractionDigits;
  const rate = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol', minimumFractionDigits: cents, maximumFractionDigits: Math.max(cents, 4) });
  f = { money: (s) => money.format(Number(s)), rate: (s) => rate.format(Number(s)), day: (d) => (d ? date.format(new Date(`${d}T00:00:00Z`)) : ''), short: (d) => short.format(new Date(`${d}T00:00:00Z`)), num: (n) => num.format(n) };
  formatCache.set(key, f);
  return f;
}

/** Creates an element; string children become text nodes (never HTML). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

class JifenPoints extends HTMLElement {
  static observedAttributes = ['locale', 'program-src', 'at'];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this._cart = { lines: [] };
    this._member = null;
    this._offset = 0;
    this._confirmed = null;
    this._onCart = (e) => { this.cart = e.detail; };
  }

  get locale() { return this.getAttribute('locale') === 'en' ? 'en' : 'zh-CN'; }
  get t() { return LABELS[this.locale]; }
  set program(p) { this._program = p; this._loading = null; this.#schedule(); }
  get program() { return this._program; }
  set member(m) { this._member = m; this._offset = 0; this._confirmed = null; this.#schedule(); }
  get member() { return this._member; }
  set cart(c) { this._cart = c ?? { lines: [] }; this._confirmed = null; this.#schedule(); }
  get cart() { return this._cart; }
  set at(v) { this._at = v; this.#schedule(); }
  get offsetPoints() { return this._offset; }

  connectedCallback() {
    // Properties a page set before this module loaded are plain fields on the element;
    // pass them through the setters now.
    for (const p of ['program', 'member', 'cart', 'at']) {
      if (Object.prototype.hasOwnProperty.call(this, p)) {
        const v = this[p];
        delete this[p];
        this[p] = v;
      }
    }
    document.addEventListener('jifen:cart', this._onCart);
    // Start loading the engine and the programme now; render once the labels are here.
    this.#engine().catch(() => {}); // a failure is shown by the render that awaits it
    labelsReady.then(() => this.#schedule(), (e) => this.shadowRoot.replaceChildren(`jifen: ${e.message}`));
  }
  disconnectedCallback() { document.removeEventListener('jifen:cart', this._onCart); }
  attributeChangedCallback(name) {
    if (name === 'program-src') { this._program = null; this._loading = null; }
    if (this.$) { this.#build(); this.#schedule(); }
  }

  /** Shows the authority's figures; if they differ from the preview, says so. */
  confirm(quote) { this._confirmed = quote; this.#render(); }

  #schedule() {
    if (this._pending) return;
    this._pending = true;
    queueMicrotask(() => { this._pending = false; this.#render().catch((e) => this.#fail(e)); });
  }

  #build() {
    const t = this.t;
    const root = this.shadowRoot;
    root.replaceChildren();
    this._rulesDone = false;
    root.append(h('style', { text: STYLE }));
    this.$ = {
      status: h('span', { class: 'badge' }),
      live: h('div', { 'aria-live': 'polite', 'aria-atomic': 'true', class: 'sr' }),
      summary: h('div'),
      tier: h('div'),
      expiring: h('div'),
      rewards: h('ul'),
      offsetBox: h('div'),
      household: h('div'),
      rules: h('div'),
      diff: h('div'),
    };
    this.$.range = h('input', { type: 'range', min: 0, max: 0, step: 100, value: 0, 'aria-label': t.offsetUse, oninput: (e) => this.#setOffset(e.target.value) });
    this.$.number = h('input', { type: 'number', min: 0, max: 0, step: 100, value: 0, 'aria-label': t.offsetUse, onchange: (e) => this.#setOffset(e.target.value) });
    this.$.offsetText = h('span', { class: 'muted' });
    root.append(
      h('section', { 'aria-label': t.title },
        h('h2', {}, t.title, this.$.status),
        this.$.diff, this.$.summary, this.$.live, this.$.tier, this.$.expiring,
        h('h3', { text: t.offset }), this.$.offsetBox,
        h('h3', { text: t.rewards }), this.$.rewards,
        this.$.household,
        h('details', {}, h('summary', { text: t.rules }), this.$.rules)),
    );
  }

  #setOffset(v) {
    const step = Number(this.$.range.step) || 1;
    const max = Number(this.$.range.max) || 0;
    let n = Math.max(0, Math.min(max, Math.round(Number(v) / step) * step || 0));
    this._offset = n;
    this.$.range.value = n;
    this.$.number.value = n;
    this.dispatchEvent(new CustomEvent('jifen:offset', { detail: { points: n }, bubbles: true, composed: true }));
    this.#schedule();
  }

  #engine() {
    this._loading ??= this.#load();
    return this._loading;
  }

  async #load() {
    // The programme and the engine load in parallel.
    const src = this.getAttribute('program-src');
    const program = this._program ?? (src ? fetch(src).then((r) => r.text()) : Promise.reject(new Error('set the program property or the program-src attribute')));
    const [mod, p] = await Promise.all([loadEngine(this.getAttribute('engine-src') ?? '/pkg/web/index.js', () => this.#fmt()), program]);
    // Fetched text goes to the engine as it came (not stringified again from a parse of it);
    // the widget reads its own few fields (currency, kind names) from one parse.
    const engine = new mod.Engine(p);
    this._program = typeof p === 'string' ? JSON.parse(p) : p;
    return engine;
  }

  /** The instant quoted: the `at` property or attribute; now without either. */
  #at() { return this._at ?? this.getAttribute('at') ?? undefined; }

  #fmt() { return formats(this.locale, this._program?.currency ?? 'CNY'); }

  /** Text in the widget's language: `{zh-CN, en}` (English when the locale has none), or a
   * plain string as it is (a shop's name for a member). */
  #text(obj) { return typeof obj === 'string' ? obj : obj ? obj[this.locale] ?? obj.en : ''; }

  /** An engine error code a shopper can act on, in their words from a table of labels (by
   * code, each given `args`); null for a code the table does not have. */
  #say(table, code, ...args) { return Object.hasOwn(table, code ?? '') ? table[code](...args) : null; }

  /** A category or perk id by the programme's display name for it, else as it is. */
  #display(id) { return this.#text(this._program.display_names?.[id]) || id; }

  #fail(e) {
    if (!this.$) this.#build();
    this.$.summary.replaceChildren(h('p', { class: 'note warn', role: 'alert' }, `${this.t.error}: ${e.message ?? e}`));
  }

  async #render() {
    if (!LABELS || !this.isConnected) return;
    const t = this.t;
    const engine = await this.#engine();
    // The panel is built with its first figures, not as an empty frame before them: laying
    // out a frame first (CJK text shaping, ~30 ms) held the engine's start back.
    const first = !this.$;
    if (first) this.#build();
    const f = this.#fmt();
    const at = this.#at();
    const member = { ...(this._member?.member ?? {}) };
    const lines = this._cart?.lines ?? [];

    // Rewards, expiry and disclosure do not depend on the cart: they render after the quote,
    // so the figure a shopper waits for comes first; the first time, a frame later, so the
    // quote is on screen before they are laid out.
    const others = () => {
      this.#renderRewards(engine.rewards({ member }, at), f);
      this.#renderExpiring(engine.expiry({ wallet: member.wallet ?? [] }, at), f);
      this.#renderHousehold(engine, member, f);
      if (!this._rulesDone) { this.#renderRules(engine.disclose({}, at)); this._rulesDone = true; }
    };
    const rest = first ? () => requestAnimationFrame(() => setTimeout(() => { try { others(); } catch (e) { this.#fail(e); } })) : others;

    if (!lines.length) {
      rest();
      this.$.summary.replaceChildren(h('p', { class: 'muted', text: '—' }));
      this.$.offsetBox.replaceChildren(h('p', { class: 'muted', text: t.offsetNone }));
      this.$.status.textContent = t.preview;
      return;
    }
    const cart = { lines, ...(this._cart.order_discount ? { order_discount: this._cart.order_discount } : {}) };
    const offset = engine.offset({ member, ...cart, points: this._offset }, at);
    const preview = offset.quote;
    this._preview = { fingerprint: offset.program.fingerprint, total_points: preview.total_points };
    const shown = this._confirmed ?? preview;
    this.#renderOffset(offset, f);
    this.#renderSummary(shown, f);
    this.#renderTier(shown, f);
    const differs = this._confirmed && this._confirmed.total_points !== preview.total_points;
    this.$.status.textContent = this._confirmed ? t.confirmed : t.preview;
    this.$.status.className = this._confirmed ? 'badge ok' : 'badge';
    this.$.diff.replaceChildren(differs ? h('p', { class: 'note', role: 'status', text: t.differs }) : '');
    this.$.live.textContent = `${this.#guest ? t.guestTotal : t.total} ${shown.total_points} ${t.pts}${this._confirmed ? ` (${t.confirmed})` : ''}`;
    this.dispatchEvent(new CustomEvent('jifen:quote', { detail: { total_points: shown.total_points, confirmed: !!this._confirmed }, bubbles: true, composed: true }));
    rest();
  }

  /** No member snapshot (a shopper who has not signed in): the figures are what a member
   * would earn, and the widget says so rather than promising them to a guest. */
  get #guest() { return !this._member?.member?.id; }

  /** The preview the page sends with the order, so the server can compare. */
  get preview() { return this._preview; }

  #renderSummary(q, f) {
    const t = this.t;
    const kinds = Object.entries(q.points).filter(([, n]) => n > 0);
    const names = Object.fromEntries((this._program.point_kinds ?? []).map((k) => [k.id, this.#text(k.name)]));
    this.$.summary.replaceChildren(
      h('div', { class: 'row' }, h('span', { text: this.#guest ? t.guestTotal : t.total }), h('span', { class: 'total', 'data-testid': 'total-points' }, f.num(q.total_points), ' ', t.pts)),
      this.#guest ? h('p', { class: 'muted', 'data-testid': 'guest', text: t.guestNote }) : '',
      kinds.length > 1 ? h('ul', { 'aria-label': t.byKind }, kinds.map(([k, n]) => h('li', { class: 'row' }, h('span', { text: names[k] ?? k }), h('span', { text: `${f.num(n)} ${t.pts}` })))) : '',
      h('p', { class: 'muted' }, `${t.available}: ${f.day(q.available_on)} · ${t.expires}: ${q.expires_on ? f.day(q.expires_on) : t.never}`),
      h('details', {}, h('summary', { text: t.breakdown }),
        h('ul', {}, q.rules.map((r) => h('li', { 'data-rule': r.rule }, this.#text(r.reason), r.points ? ` (${r.points > 0 ? '+' : ''}${f.num(r.points)})` : '')),
          q.lines.filter((l) => l.excluded).map((l) => h('li', { class: 'muted', text: t.excluded(this.#display(l.category)) })))),
    );
  }

  #renderTier(q, f) {
    const t = this.t;
    const p = q.tier_progress;
    if (!p) { this.$.tier.replaceChildren(); return; }
    const next = p.next;
    const pct = Math.round(Number(next?.progress ?? 1) * 100);
    // What the next tier adds: a higher multiplier and the perks this tier does not have.
    const adds = next ? [
      ...(Number(next.multiplier) > Number(p.multiplier) ? [t.times(next.multiplier)] : []),
      ...next.perks.filter((k) => !p.perks.includes(k)).map((k) => this.#display(k)),
    ] : [];
    this.$.tier.replaceChildren(
      h('h3', {}, `${t.tier}: `, this.#text(p.name)),
      p.perks.length ? h('p', { class: 'muted', 'data-testid': 'tier-perks', text: t.perks(p.perks.map((k) => this.#display(k)).join(t.sep)) }) : '',
      p.upgraded ? h('p', { class: 'note', text: t.upgraded(this.#text(p.name)) }) : '',
      next ? h('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': pct, 'aria-label': this.#text(next.name) }, h('span', { style: `width:${pct}%` })) : '',
      h('p', { class: 'muted', 'data-testid': 'tier-next', text: next ? this.#toNext(next, f) : t.topTier }),
      adds.length ? h('p', { class: 'muted', 'data-testid': 'tier-adds', text: t.adds(adds.join(t.sep)) }) : '',
    );
  }

  /** What is left to reach the next tier: only the thresholds still open (no "¥0.00"), joined
   * by "or" when either one qualifies. */
  #toNext(next, f) {
    const spend = Number(next.spend_needed) > 0 ? f.money(next.spend_needed) : '';
    return this.t.toNext(spend, next.orders_needed, this.#text(next.name), next.qualify === 'any');
  }

  #renderRewards(r, f) {
    const t = this.t;
    this.$.rewards.replaceChildren(...r.options.map((o) => h('li', { 'data-reward': o.id },
      h('div', { class: 'row' }, h('strong', { text: this.#text(o.name) }), h('span', { text: `${f.num(o.cost)} ${t.pts}` })),
      h('div', { class: 'muted' }, `${f.money(o.value)} · ${t.perPoint} ${f.rate(o.value_per_point)}`,
        o.offer ? h('span', { class: 'badge season', 'data-testid': 'season-badge' }, t.offer(o.offer.uplift_percent, f.short(o.offer.until))) : ''),
      h('div', { class: 'row' }, h('span', { class: 'muted', text: o.affordable ? t.affordable : t.short(f.num(o.shortfall), f.money(o.spend_needed)) }),
        o.affordable && !this.#guest ? h('button', { type: 'button', 'data-redeem': o.id, 'aria-label': `${t.redeem}: ${this.#text(o.name)}`, text: t.redeem, onclick: (e) => this.#redeem(e.currentTarget, o, f) }) : ''))));
  }

  /** Spending points asks twice: the first press says what it will spend, the second asks
   * the page to redeem. A re-render (a new cart or snapshot) starts over. */
  #redeem(button, o, f) {
    const t = this.t;
    if (!button.dataset.armed) {
      button.dataset.armed = '1';
      button.textContent = t.redeemConfirm(f.num(o.cost));
      button.setAttribute('aria-label', `${button.textContent}: ${this.#text(o.name)}`);
      return;
    }
    button.disabled = true;
    this.dispatchEvent(new CustomEvent('jifen:redeem', { detail: { reward_id: o.id, points: o.cost, name: o.name }, bubbles: true, composed: true }));
  }

  #renderOffset(o, f) {
    const t = this.t;
    const r = o.range;
    if (!r.allowed) {
      // Why not, in the shopper's language, from the engine's reason (a guest has no points to use).
      const tier = this._program.bill_offset?.min_tier;
      const say = this.#say(t.offsetWhyNot, this.#guest ? '' : r.reason?.code, f.num(r.min_points), f.num(r.balance), this.#text(this._program.tiers?.find((x) => x.id === tier)?.name) || tier);
      this.$.offsetBox.replaceChildren(h('p', { class: 'muted', 'data-testid': 'offset-none', text: say ?? t.offsetNone }));
      return;
    }
    for (const el of [this.$.range, this.$.number]) { el.max = r.max_points; el.step = r.step; el.min = 0; el.value = this._offset; }
    this.$.offsetText.textContent = `${t.offsetOff(f.money(o.amount))} · ${t.earnAfter}: ${f.num(o.quote.total_points)} ${t.pts}`;
    if (!this.$.offsetBox.contains(this.$.range)) this.$.offsetBox.replaceChildren(h('label', {}, t.offsetUse, ' ', this.$.number), this.$.range, this.$.offsetText);
  }

  #renderExpiring(x, f) {
    const soon = x.schedule.filter((g) => g.soon);
    this.$.expiring.replaceChildren(...soon.map((g) => h('p', { class: 'note', role: 'note', 'data-testid': 'expiring' }, h('strong', { text: `${this.t.expiring}: ` }), this.t.expiringText(f.num(g.points), f.day(g.expires)))));
  }

  #renderHousehold(engine, member, f) {
    const t = this.t;
    const hh = this._member?.household;
    const others = (hh?.members ?? []).filter((m) => m !== member.id);
    if (!hh || !others.length || !this._program.household) { this.$.household.replaceChildren(); return; }
    // Built once per snapshot and engine (a re-quote keeps what the shopper typed); a new
    // snapshot (this month's gifts, the wallet) or programme builds it again.
    const panel = this.$.household;
    if (panel.jifenFor?.[0] === this._member && panel.jifenFor[1] === engine) return;
    panel.jifenFor = [this._member, engine];
    const who = (id) => this.#text(hh.names?.[id]) || id;
    const to = h('select', { 'aria-label': t.to }, others.map((m) => h('option', { value: m, text: who(m) })));
    const rules = this._program.household;
    const amount = h('input', { type: 'number', min: rules.min_transfer, step: 1, value: rules.min_transfer, 'aria-label': t.amount });
    const out = h('p', { class: 'muted', role: 'status' });
    // What the member already gave this month counts against the monthly limit, as on the server.
    const sent = hh.sent_this_month ?? 0;
    // Giving is offered only for the gift just previewed: changing either field takes it back.
    const give = h('button', { type: 'button', hidden: true, text: t.give, onclick: () => {
      give.disabled = true;
      this.dispatchEvent(new CustomEvent('jifen:transfer', { detail: { to: to.value, points: Number(amount.value) }, bubbles: true, composed: true }));
    } });
    for (const [el, ev] of [[to, 'change'], [amount, 'input']]) el.addEventListener(ev, () => { give.hidden = true; });
    const previewTransfer = () => {
      give.hidden = true;
      try {
        const r = engine.transfer({ household: hh.members, from: member, to: { id: to.value, wallet: [] }, points: Number(amount.value), sent_this_month: sent }, this.#at());
        out.textContent = t.transferText(f.num(r.points), who(to.value), f.num(r.remaining_this_month));
        give.hidden = false;
        give.disabled = false;
      } catch (e) {
        // What a shopper can get wrong here, in their language; anything else as the engine says it.
        out.textContent = this.#say(t.transferError, e.code, f.num(rules.min_transfer), f.num(rules.max_transfer_per_month), sent ? f.num(sent) : '') ?? e.message;
      }
    };
    this.$.household.replaceChildren(h('h3', { text: t.household }), h('label', {}, `${t.to} `, to), ' ', h('label', {}, `${t.amount} `, amount), ' ', h('button', { type: 'button', onclick: previewTransfer, text: t.previewTransfer }), ' ', give, out);
  }

  #renderRules(d) {
    this.$.rules.replaceChildren(...d.sections.map((s) => h('section', {}, h('h3', { text: this.#text(s.title) }), h('ul', {}, s.items.map((i) => h('li', { text: this.#text(i) }))))));
  }
}

customElements.define('jifen-points', JifenPoints);
export { JifenPoints };
