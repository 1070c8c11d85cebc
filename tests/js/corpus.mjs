// A deterministic corpus of requests across every operation, valid and broken, for the
// parity test (wasm in Node vs the native CLI). Same seed, same corpus, on every machine.

export function rng(seed) {
  let s = BigInt(seed) || 1n;
  return () => {
    s ^= s << 13n; s &= (1n << 64n) - 1n;
    s ^= s >> 7n;
    s ^= s << 17n; s &= (1n << 64n) - 1n;
    return Number(s % 1000000007n) / 1000000007;
  };
}

const CATS = ['bedding', 'curtains', 'pillows', 'kitchen', 'energy-saving', 'public-transport', 'gift-card'];
const REWARDS = ['bedding-set', 'latex-pillow', 'curtain-cleaning', 'eco-donation', 'low-carbon-travel', 'yacht'];
const TIERS = ['member', 'silver', 'gold', 'platinum'];
const INSTANTS = ['2026-02-28T17:00:00Z', '2026-03-10T12:00:00+08:00', '2026-03-18T09:30:00+08:00', '2026-06-05T20:00:00+08:00', '2026-12-31T23:59:59+08:00', '2027-01-01T00:00:00-05:00'];

export function corpus(n, seed = 20261124) {
  const r = rng(seed);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const int = (a, b) => a + Math.floor(r() * (b - a + 1));
  const money = () => (int(0, 300000) / 100).toFixed(pick([0, 1, 2, 2, 2]));
  const day = () => `202${int(4, 6)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
  const lot = () => ({ kind: pick(['standard', 'standard', 'green']), points: int(0, 4000), earned: day(), ...(r() < 0.3 ? { available: day() } : {}) });
  const wallet = () => Array.from({ length: int(0, 8) }, lot);
  const member = () => {
    const m = { wallet: wallet() };
    if (r() < 0.7) m.tier = pick(TIERS.slice(0, r() < 0.95 ? 3 : 4));
    if (r() < 0.5) m.tier_stats = { spend: money(), orders: int(0, 20) };
    return m;
  };
  const line = () => ({ category: pick(CATS), unit_price: r() < 0.1 ? Number(money()) : money(), quantity: int(1, 5), ...(r() < 0.2 ? { discount: (int(0, 500) / 100).toFixed(2) } : {}) });
  const lines = () => Array.from({ length: int(1, 12) }, line);
  const make = {
    quote: () => ({ member: member(), lines: lines(), ...(r() < 0.3 ? { order_discount: (int(0, 2000) / 100).toFixed(2) } : {}) }),
    rewards: () => ({ member: member() }),
    offset: () => ({ member: member(), lines: lines(), ...(r() < 0.6 ? { points: int(0, 40) * 100 } : {}) }),
    redeem: () => (r() < 0.8 ? { member: member(), reward_id: pick(REWARDS) } : { member: member(), offset: { points: int(1, 30) * 100, order_amount: money() } }),
    transfer: () => ({ household: ['a', 'b'], from: { id: 'a', wallet: wallet() }, to: { id: pick(['b', 'c']), wallet: wallet() }, points: int(0, 3000), sent_this_month: int(0, 5000) }),
    expiry: () => ({ wallet: wallet() }),
    return: () => ({ member: { wallet: wallet().map((l) => ({ ...l, source: 'o1' })) }, order_id: 'o1', recorded: [{ line: 'l1', kind: 'standard', points: int(0, 2000), quantity: int(1, 4) }], lines: [{ line: pick(['l1', 'l1', 'l2']), quantity: int(1, 4) }] }),
    project: () => ({ member: member(), reward_id: pick(REWARDS), plan: { amount: money(), category: pick(CATS), ...(r() < 0.5 ? { every_days: int(1, 90) } : { every_months: int(1, 12) }) } }),
    disclose: () => ({}),
    check_change: () => ({ program: { format: 'jifen.program/1' }, announced: day(), effective: day() }),
    simulate: () => ({ synthetic: { members: int(1, 20), orders_per_member: int(1, 6), start: pick(INSTANTS), days: int(1, 400), seed: int(1, 1000) }, assumptions: { redemption_rate: pick(['0', '0.5', '1']) } }),
  };
  const ops = Object.keys(make);
  const out = [];
  for (let i = 0; i < n; i++) {
    const op = ops[i % ops.length];
    let request = make[op]();
    // One request in six is broken on purpose: a wrong type, an unknown field or a bad value.
    const breaker = r();
    if (breaker < 0.05) request = { ...request, surprise: true };
    else if (breaker < 0.1) request = JSON.parse(JSON.stringify(request).replace(/"points":\d+/, '"points":"many"'));
    else if (breaker < 0.17) request = JSON.parse(JSON.stringify(request).replace(/"2026-/, '"2026-13-'));
    out.push({ op, at: pick(INSTANTS), request });
  }
  return out;
}
