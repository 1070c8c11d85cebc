#!/usr/bin/env bash
# Makes a PostgreSQL server available for the ledger tests and prints its URL.
#   - JIFEN_TEST_DATABASE_URL already set: printed as it is (your own server).
#   - otherwise Debian's `postgresql` is installed if missing, its cluster started, and a
#     `jifen` role (allowed to create the tests' throwaway databases) created once.
# Idempotent and quick when the server is already up. Progress goes to stderr.
set -euo pipefail
if [ -n "${JIFEN_TEST_DATABASE_URL:-}" ]; then echo "$JIFEN_TEST_DATABASE_URL"; exit 0; fi
say() { echo "postgres: $*" >&2; }
SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

if ! command -v pg_lsclusters >/dev/null || [ -z "$(ls /usr/lib/postgresql/*/bin/postgres 2>/dev/null)" ]; then
  say "installing Debian postgresql"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
fi
read -r version cluster port status _ < <(pg_lsclusters --no-header | head -1)
if [ -z "${version:-}" ]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -1)
  say "creating cluster $version/main"
  $SUDO pg_createcluster "$version" main >&2
  read -r version cluster port status _ < <(pg_lsclusters --no-header | head -1)
fi
if [ "$status" != online ]; then
  say "starting cluster $version/$cluster on port $port"
  $SUDO pg_ctlcluster "$version" "$cluster" start >&2
fi
for _ in $(seq 50); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 0.2; done
as_postgres psql -q -p "$port" -v ON_ERROR_STOP=1 >&2 <<'SQL'
SELECT 'CREATE ROLE jifen LOGIN CREATEDB PASSWORD ''jifen'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'jifen') \gexec
SELECT 'CREATE DATABASE jifen OWNER jifen'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'jifen') \gexec
SQL
echo "postgres://jifen:jifen@127.0.0.1:$port/jifen"
