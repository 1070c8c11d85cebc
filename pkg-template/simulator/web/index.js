// Browser and bundler entry of `jifen/simulator`: the engine plus the promotion simulator
// (`engine.simulate`, `Simulation`), for marketing pages and workers, not checkout pages.
import wasmInit, { Engine, Simulation, operations } from './jifen_wasm.js';

let ready;
export default function init(input) {
  ready ??= wasmInit(input === undefined ? undefined : { module_or_path: input });
  return ready;
}
export { Engine, Simulation, operations };
