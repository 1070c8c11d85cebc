// Browser and bundler entry: `await init()` once (it fetches the .wasm next to this file, or
// takes a URL, Response or bytes), then use `new Engine(program)`. The checkout build: no
// simulator (that is `jifen/simulator`), so the page downloads less.
import wasmInit, { Engine, operations } from './jifen_wasm.js';

let ready;
export default function init(input) {
  ready ??= wasmInit(input === undefined ? undefined : { module_or_path: input });
  return ready;
}
export { Engine, operations };
