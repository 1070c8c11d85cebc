#!/usr/bin/env bash
# Builds the npm package into pkg/ by hand (wasm-pack cannot download its tools here):
#   cargo build (wasm32, size profile) → wasm-bindgen (web + nodejs) → wasm-opt -Oz → pkg-template/.
# Twice: the checkout engine without the simulator (pkg/web, pkg/node: the package's main
# entry) and with it (pkg/simulator/web, pkg/simulator/node: `jifen/simulator`).
set -euo pipefail
cd "$(dirname "$0")/.."
profile=wasm-release
raw=target/wasm32-unknown-unknown/$profile/jifen_wasm.wasm
rm -rf pkg && mkdir -p pkg
build() { # <features flag> <out dir>
  cargo build -q -p jifen-wasm --target wasm32-unknown-unknown --profile "$profile" $1
  wasm-bindgen "$raw" --target web --out-dir "$2/web" --no-typescript
  wasm-bindgen "$raw" --target nodejs --out-dir "$2/node" --no-typescript
}
build --no-default-features pkg
build "" pkg/simulator
pids=()
for dir in pkg/web pkg/node pkg/simulator/web pkg/simulator/node; do
  node_modules/.bin/wasm-opt -Oz --converge --strip-debug --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    "$dir/jifen_wasm_bg.wasm" -o "$dir/jifen_wasm_bg.wasm" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
cp -r pkg-template/. pkg/
gz() { gzip -9c "$1" | wc -c; }
echo "pkg/web (checkout engine): $(gz pkg/web/jifen_wasm_bg.wasm) bytes gzip wasm, $(gz pkg/web/jifen_wasm.js) bytes gzip JS glue"
echo "pkg/simulator/web (with the simulator): $(gz pkg/simulator/web/jifen_wasm_bg.wasm) bytes gzip wasm"
