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
  if (data.file !== undefined) {
    await feedCsv(data.file);
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

/** Streams a CSV file (a File or Blob) through the simulation 50,000 lines at a time: memory
 *  holds one chunk, not the file. Line numbers count from the header (line 1). */
async function feedCsv(file) {
  const reader = file.stream().pipeThrough(new TextDecoderStream()).getReader();
  let rest = '';
  let line = 0;
  let read = 0;
  let batch = [];
  let first = 0;
  const flush = () => {
    if (batch.length) sim.pushCsv(batch.join('\n'), first);
    batch = [];
    postMessage({ progress: Math.min(1, read / Math.max(1, file.size)) });
  };
  for (;;) {
    const { value, done } = await reader.read();
    read += value?.length ?? 0;
    const lines = (rest + (value ?? '')).split(/\r?\n/);
    rest = done ? '' : lines.pop();
    for (const l of lines) {
      line += 1;
      if (line === 1) { Simulation.checkHeader(l); continue; }
      if (!batch.length) first = line;
      batch.push(l);
      if (batch.length === CHUNK) flush();
    }
    if (done) break;
  }
  if (line === 0) Simulation.checkHeader('');
  flush();
}

onmessage = async ({ data }) => {
  try {
    if (data.start) postMessage(await start(data.start, data.part));
    else if (data.end) postMessage({ end: Simulation.runEnd(data.end.until || undefined, data.end.lastDays) ?? null });
    else if ('close' in data) postMessage({ partial: sim.close(data.close ?? undefined) });
    else if ('finish' in data) postMessage({ result: sim.finish(data.finish ?? undefined, data.parts) });
  } catch (e) {
    postMessage(error(e));
  }
};
