// Runs a promotion simulation on every core: one Web Worker per core (at most 4), each
// taking a part of the cohort's members (the engine decides which member goes where). When
// all have fed their orders, the others close their parts on the run's end day and the first
// finishes with them: the engine adds the parts up into exactly the single-worker result.
const MAX_WORKERS = 4;

/** `msg`: {program, promotion, assumptions, period, until?, file (a CSV File) | synthetic}. Returns
 *  `{ done: Promise<{result, ms}>, cancel() }`; `done` rejects with the engine's error. */
export function simulate(msg, onProgress = () => {}) {
  const n = Math.max(1, Math.min(MAX_WORKERS, navigator.hardwareConcurrency || 1));
  const started = performance.now();
  const workers = Array.from({ length: n }, () => new Worker('/simulator-worker.js', { type: 'module' }));
  const progress = new Array(n).fill(0);
  const ask = (i, message) => new Promise((resolve) => {
    // A worker that dies (it could not load, say) answers with an error instead of never.
    workers[i].onerror = (e) => { e.preventDefault(); resolve({ error: { code: 'worker_failed', message: e.message || 'the worker stopped' } }); };
    workers[i].onmessage = ({ data }) => {
      if (data.progress === undefined) return resolve(data);
      progress[i] = data.progress;
      onProgress(progress.reduce((a, b) => a + b, 0) / n);
    };
    workers[i].postMessage(message);
  });
  const stop = () => workers.forEach((w) => w.terminate());
  const done = (async () => {
    const fed = await Promise.all(workers.map((_, i) => ask(i, { start: msg, part: [i, n] })));
    // Every worker reads every row, so the earliest bad row is the one a single run reports.
    const errors = fed.filter((f) => f.error).map((f) => f.error);
    if (errors.length) throw errors.sort((a, b) => line(a) - line(b))[0];
    // The engine names the day every part closes on (`until`, or the latest order's day).
    const { end, error } = await ask(0, { end: { until: msg.until, lastDays: fed.map((f) => f.lastDay).filter(Boolean) } });
    if (error) throw error;
    const parts = await Promise.all(workers.slice(1).map((_, k) => ask(k + 1, { close: end })));
    const failed = parts.find((p) => p.error);
    if (failed) throw failed.error;
    const last = await ask(0, { finish: end, parts: parts.map((p) => p.partial) });
    if (last.error) throw last.error;
    return { result: last.result, ms: performance.now() - started };
  })();
  done.finally(stop).catch(() => {});
  return { done, cancel: stop };
}

const line = (e) => Number(/^line (\d+)/.exec(e.path ?? '')?.[1] ?? Infinity);
