#!/usr/bin/env bash
# Builds the npm package into pkg/ by hand (wasm-pack cannot download its tools here):
#   cargo build (wasm32, size profile) → wasm-bindgen (web + nodejs) → wasm-opt -Oz → pkg-template/.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=wasm-release
cargo build -q -p jifen-wasm --target wasm32-unknown-unknown --profile "$profile"
raw=target/wasm32-unknown-unknown/$profile/jifen_wasm.wasm
rm -rf pkg && mkdir -p pkg/web pkg/node
wasm-bindgen "$raw" --target web --out-dir pkg/web --no-typescript
wasm-bindgen "$raw" --target nodejs --out-dir pkg/node --no-typescript
for dir in pkg/web pkg/node; do
  node_modules/.bin/wasm-opt -Oz --converge --strip-debug --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    "$dir/jifen_wasm_bg.wasm" -o "$dir/jifen_wasm_bg.wasm"
done
cp -r pkg-template/. pkg/
echo "pkg/: $(gzip -9c pkg/web/jifen_wasm_bg.wasm | wc -c) bytes gzip wasm, $(gzip -9c pkg/web/jifen_wasm.js | wc -c) bytes gzip JS glue"
