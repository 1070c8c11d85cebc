// One Web Worker of a simulation (see simulator-run.js): runs the jifen engine (WebAssembly)
// over its part of the cohort's members, fed in chunks with progress reports; then closes its
// part for the worker that finishes, or finishes with the others' parts.
import init, { Engine, Simulation } from '/pkg/simulator/web/index.js';

const CHUNK = 50000;
let sim;

const error = (e) => ({ error: { code: e.code ?? 'error', path: e.path ?? '', message: e.message ?? String(e) } });

async function start(data, [index, of]) {
  await init();
  sim = new Simulation(new Engine(data.program), { promotion: data.promotion, assumptions: data.assumptions, period: data.period });
  sim.setPart(index, of);
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
  return { pushed: true, lastDay: sim.lastDay() };
}

onmessage = async ({ data }) => {
  try {
    if (data.start) postMessage(await start(data.start, data.part));
    else if ('close' in data) postMessage({ partial: sim.close(data.close ?? undefined) });
    else if ('finish' in data) postMessage({ result: sim.finish(data.finish ?? undefined, data.parts) });
  } catch (e) {
    postMessage(error(e));
  }
};
