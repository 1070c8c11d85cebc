# jifen — one entry point for building, testing and running.
#   make setup   install what the project needs (idempotent; quick when already there)
#   make test    everything CI runs
#   make demo    the authority server with the demo storefront and simulator on localhost
#   make wasm    build the npm package into pkg/
#   make bench   criterion benchmarks of the core
#   make bench-wasm  the engine in headless Chromium: instantiation and quotes per second
#   make bench-simulate  the native simulator, 1,000,000 orders, one thread and all
SHELL := /bin/bash
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER := wasm-bindgen-test-runner
export CHROMEDRIVER := /usr/bin/chromedriver
.PHONY: setup test test-core test-postgres test-wasm wasm demo bench bench-wasm bench-widget bench-server bench-simulate bench-simulator

setup:
	@scripts/setup.sh

test: setup test-core test-postgres test-wasm

test-core:
	cargo fmt --all -- --check
	cargo test --workspace --exclude jifen-wasm --all-targets
	cargo test --workspace --exclude jifen-wasm --doc
	RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps -q

# The ledger's HTTP and crash tests again, on PostgreSQL (scripts/postgres.sh installs and
# starts Debian's server when needed, and prints its URL).
test-postgres:
	url=$$(scripts/postgres.sh) && JIFEN_TEST_DATABASE_URL=$$url cargo test -p jifen-server --test http -p jifen-cli --test crash

wasm:
	scripts/build-wasm.sh

test-wasm: wasm
	cargo test -p jifen-wasm --target wasm32-unknown-unknown --test node
	cargo test -p jifen-wasm --target wasm32-unknown-unknown --test browser
	node --test tests/js/
	node --test --test-concurrency=1 tests/e2e/

demo: setup wasm
	cargo run --release -q -p jifen-cli -- serve --demo --db jifen-demo.db --addr 127.0.0.1:8080

bench:
	cargo bench --bench core

bench-wasm: setup wasm
	node bench/browser/run.mjs

bench-server:
	cargo run --release -q -p jifen-server --example load
	url=$$(scripts/postgres.sh) && JIFEN_TEST_DATABASE_URL=$$url cargo run --release -q -p jifen-server --example load

# Native simulator: 1,000,000 synthetic orders (100,000 members) on one thread, then on all.
bench-simulate:
	cargo build --release -q -p jifen-cli
	@for t in 1 $$(nproc); do \
	  start=$$(date +%s.%N); \
	  target/release/jifen simulate --program examples/hongmi-home.program.json --promotion examples/promotion.json \
	    --synthetic bench/simulate/synthetic-1m.json --threads $$t > /dev/null; \
	  awk -v t=$$t -v a=$$start -v b=$$(date +%s.%N) 'BEGIN { printf "1,000,000 orders on %d thread(s): %.2f s, %.0f orders/s\n", t, b - a, 1e6 / (b - a) }'; \
	done

bench-simulator: setup wasm
	node bench/browser/simulator.mjs

bench-widget: setup wasm
	node bench/browser/widget.mjs
