// Runs a promotion simulation off the main thread with the jifen engine (WebAssembly),
// feeding the cohort in chunks and reporting progress. Cancel = terminate the worker.
import init, { Engine, Simulation } from '/pkg/simulator/web/index.js';

const CHUNK = 50000;

onmessage = async ({ data }) => {
  try {
    const started = performance.now();
    await init();
    const engine = new Engine(data.program);
    const sim = new Simulation(engine, { promotion: data.promotion, assumptions: data.assumptions, period: data.period });
    if (data.csv !== undefined) {
      const lines = data.csv.split(/\r?\n/);
      Simulation.checkHeader(lines[0] ?? '');
      const total = lines.length - 1;
      for (let i = 1; i < lines.length; i += CHUNK) {
        sim.pushCsv(lines.slice(i, i + CHUNK).join('\n'), i + 1);
        postMessage({ progress: Math.min(1, (i - 1 + CHUNK) / total) });
      }
    } else {
      const s = data.synthetic;
      const total = s.members * s.orders_per_member;
      for (let from = 0; from < total; from += CHUNK) {
        sim.pushSynthetic(s, from, Math.min(CHUNK, total - from));
        postMessage({ progress: Math.min(1, (from + CHUNK) / total) });
      }
    }
    const result = sim.finish(data.until || undefined);
    postMessage({ result, ms: performance.now() - started });
  } catch (e) {
    postMessage({ error: { code: e.code ?? 'error', path: e.path ?? '', message: e.message ?? String(e) } });
  }
};
