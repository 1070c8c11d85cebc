# jifen — one entry point for building, testing and running.
#   make setup   install what the project needs (idempotent; quick when already there)
#   make test    everything CI runs
#   make demo    the authority server with the demo storefront and simulator on localhost
SHELL := /bin/bash
.PHONY: setup test test-core demo bench

setup:
	@scripts/setup.sh

test: setup test-core

test-core:
	cargo fmt --all -- --check
	cargo test --workspace --all-targets
	cargo test --workspace --doc

bench:
	cargo bench --bench core
