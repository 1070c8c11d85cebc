#!/usr/bin/env bash
# Installs what the project needs on a fresh machine; quick (no network) when it is all there.
#   - rustfmt and the wasm32 target (rustup)
#   - wasm-bindgen-cli at exactly the version Cargo.lock pins for wasm-bindgen
#   - npm dev dependencies (binaryen's wasm-opt, playwright-core, typescript, axe-core)
#   - Debian's chromium and chromium-driver for browser tests
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "setup: $*"; }
command -v cargo >/dev/null || { echo "setup: cargo (rustup) is required" >&2; exit 1; }

rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
rustup target list --installed 2>/dev/null | grep -qx 'wasm32-unknown-unknown' || rustup target add wasm32-unknown-unknown

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (about 2 minutes)"
  # --locked fails on this machine kind: a pinned transitive crate is missing from the registry.
  cargo install -q wasm-bindgen-cli --version "$want"
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  command -v npm >/dev/null || { echo "setup: node and npm are required" >&2; exit 1; }
  npm ci --no-audit --no-fund --loglevel=error
fi

# Chromium for browser tests; a CJK font so zh-CN screenshots show characters, not boxes.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || [ ! -d /usr/share/fonts/truetype/wqy ]; then
  say "installing Debian chromium, chromium-driver and fonts-wqy-zenhei"
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver fonts-wqy-zenhei >/dev/null
fi
say ok
