// A small typed use of the package, checked by `tsc --noEmit` in the tests: if the generated
// types stop matching how the engine is meant to be used, this file stops compiling.
import init, { Engine, type EngineError, type Quote, type Result } from 'jifen';
import { Engine as FullEngine, Simulation } from 'jifen/simulator';

export async function preview(program: object, at: Date): Promise<number> {
  await init();
  const engine = new Engine(program as never);
  const quote: Result<Quote> = engine.quote({ lines: [{ category: 'bedding', unit_price: '399.00', quantity: 2 }], member: { tier: 'silver' } }, at);
  const first = quote.rules[0].reason['zh-CN'];
  const options = engine.rewards({ member: { wallet: [{ kind: 'standard', points: 3000, earned: '2026-01-10' }] } }, '2026-03-10T12:00:00+08:00').options;
  const seasonal = options.filter((o) => o.offer).map((o) => `${o.name.en} +${o.offer?.uplift_percent}% until ${o.offer?.until}`);
  const soon: number = engine.expiry({ wallet: [] }).expiring_soon;
  const byName = engine.run('transfer', { household: ['a', 'b'], from: { id: 'a' }, to: { id: 'b' }, points: 100 });
  const full = new FullEngine(program as never);
  const sim = new Simulation(full, { period: 'week' });
  sim.pushSynthetic({ members: 10, orders_per_member: 2, start: '2026-01-01T00:00:00+08:00', days: 30, seed: 1 }, 0, 20);
  const other = new Simulation(full, { period: 'week' });
  other.setPart(1, 2);
  sim.setPart(0, 2);
  const end = other.lastDay();
  const liability: string = sim.finish(end, [other.close(end)]).promotion.liability;
  // @ts-expect-error the checkout engine has no simulator: that is `jifen/simulator`.
  engine.simulate({});
  try {
    engine.redeem({ reward_id: 'yacht' });
  } catch (e) {
    const err = e as EngineError;
    console.log(err.code, err.path, err.errors.length);
  }
  console.log(first, seasonal, soon, byName.moved.length, liability, quote.program.fingerprint);
  return quote.total_points + quote.points['green'];
}
