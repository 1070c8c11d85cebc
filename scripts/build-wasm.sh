#!/usr/bin/env bash
# Builds the npm package into pkg/ by hand (wasm-pack cannot download its tools here):
#   cargo build (wasm32) → wasm-bindgen (web, nodejs) → wasm-opt → pkg-template/.
# Three builds of the one binding crate:
#   pkg/web            the checkout engine, no simulator, size first (profile wasm-release, -Oz)
#   pkg/node           the same engine, speed first (profile wasm-fast, -O3): servers and scripts
#   pkg/simulator/...  with the promotion simulator, speed first: `jifen/simulator`
set -euo pipefail
cd "$(dirname "$0")/.."
# Up to date when nothing it is built from changed since the last build (make demo stays quick).
sources=(Cargo.toml Cargo.lock src wasm pkg-template scripts/build-wasm.sh)
if [ -f pkg/.built ] && [ -z "$(find "${sources[@]}" -newer pkg/.built -print -quit)" ]; then
  echo "pkg/ is up to date"; exit 0
fi
rm -rf pkg && mkdir -p pkg
FEATURES="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals"
build() { # <profile> <features flag> <wasm-opt level> <bindgen target> <out dir>
  cargo build -q -p jifen-wasm --target wasm32-unknown-unknown --profile "$1" $2
  wasm-bindgen "target/wasm32-unknown-unknown/$1/jifen_wasm.wasm" --target "$4" --out-dir "$5" --no-typescript
  node_modules/.bin/wasm-opt $3 --converge --strip-debug --strip-producers $FEATURES \
    "$5/jifen_wasm_bg.wasm" -o "$5/jifen_wasm_bg.wasm"
}
# Size first, without wasm-opt's inlining of every function that has one caller: that
# merged each operation's code into one 69 KB export (14 KB more gzip, and the browser
# compiled all of it on the first call of any operation). With talc as its allocator (smaller).
build wasm-release "--no-default-features --features talc" "-Oz --one-caller-inline-max-function-size=20" web pkg/web
build wasm-fast --no-default-features -O3 nodejs pkg/node
build wasm-fast "" -O3 web pkg/simulator/web
build wasm-fast "" -O3 nodejs pkg/simulator/node
cp -r pkg-template/. pkg/
touch pkg/.built
gz() { gzip -9c "$1" | wc -c; }
echo "pkg/web (checkout engine): $(gz pkg/web/jifen_wasm_bg.wasm) bytes gzip wasm, $(gz pkg/web/jifen_wasm.js) bytes gzip JS glue"
echo "pkg/simulator/web (with the simulator, speed first): $(gz pkg/simulator/web/jifen_wasm_bg.wasm) bytes gzip wasm"
