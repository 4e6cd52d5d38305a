#!/usr/bin/env bash
# Scale-out: how long a deployment takes to reach every instance. Three `serve` instances share one PostgreSQL 15
# (a temporary cluster); each round deploys a new generation of the bench template through instance 1 while a poller
# sends requests to all three (a new connection each) and notes when each first answers with the new generation (the
# backend echoes the X-Bench-Generation request header the rewrite sets). A round's propagation runs from the first
# instance serving it (instance 1, which applies before it commits) to the last. ROUNDS (default 20) rounds.
# Writes KEY<TAB>VALUE lines to $1. Needs GATEHOUSE_DLL, nginx, curl, python3, PostgreSQL 15. Binds 127.0.0.1:19790-19799.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bench_start "$1"
rounds=${ROUNDS:-20}
pg=/usr/lib/postgresql/15/bin

# PostgreSQL refuses to run as root: the cluster belongs to the postgres user then, in a directory it may enter.
run_as=(); [ "$EUID" -eq 0 ] && run_as=(runuser -u postgres --)
chmod 711 "$tmp" && mkdir "$tmp/pg" && { [ "$EUID" -ne 0 ] || chown postgres "$tmp/pg"; }
"${run_as[@]}" "$pg/initdb" --pgdata "$tmp/pg/data" --username bench --auth trust --encoding UTF8 --locale C.UTF-8 --no-sync >/dev/null
"${run_as[@]}" "$pg/pg_ctl" --pgdata "$tmp/pg/data" --log "$tmp/pg/log" --wait \
  --options "-c listen_addresses=127.0.0.1 -c port=19790 -c unix_socket_directories=$tmp/pg -c fsync=off" start >/dev/null
stop_postgres() { "${run_as[@]}" "$pg/pg_ctl" --pgdata "$tmp/pg/data" --mode immediate stop >/dev/null 2>&1 || true; bench_stop; }
trap stop_postgres EXIT INT TERM
"${run_as[@]}" psql -h 127.0.0.1 -p 19790 -U bench -d postgres -qc "CREATE DATABASE gatehouse"

start_backend 19794
make_pfx server
head -c 32 /dev/urandom | base64 >"$tmp/data.key"
for n in 1 2 3; do
  mkdir -p "$tmp/i$n"
  dotnet "$GATEHOUSE_DLL" serve --data-dir "$tmp/i$n" --management-port 0 --store postgres://bench@127.0.0.1:19790/gatehouse \
    --data-key-file "$tmp/data.key" --resolve "backend.bench.local=127.0.0.1:19794" --port-map "443=1979$n" >"$tmp/i$n.log" 2>&1 & pids+=($!)
done
for n in 1 2 3; do
  for _ in $(seq 1 600); do [ -f "$tmp/i$n/serve.json" ] && break; sleep 0.1; done
  [ -f "$tmp/i$n/serve.json" ] || { echo "bench: instance $n did not start" >&2; cat "$tmp/i$n.log" >&2; exit 1; }
done
gh i1 group create --name bench --location local >/dev/null

# watch GENERATION: the seconds (since the epoch) at which instances 1, 2 and 3 first answered with GENERATION, one a line.
cat >"$tmp/watch.py" <<'PY'
import http.client, ssl, sys, time
generation, deadline = sys.argv[1], time.time() + 60
tls = ssl._create_unverified_context()
seen = {}
while len(seen) < 3 and time.time() < deadline:
    for n in (1, 2, 3):
        if n in seen: continue
        try:
            c = http.client.HTTPSConnection("127.0.0.1", 19790 + n, context=tls, timeout=2)
            c.request("GET", "/")
            r = c.getresponse(); r.read(); c.close()
            if r.getheader("X-Bench-Generation") == generation: seen[n] = time.time()
        except OSError:
            pass
if len(seen) < 3: sys.exit(f"generation {generation} reached only instances {sorted(seen)} within 60 s")
for n in (1, 2, 3): print(seen[n])
PY

deploy i1 bench 0
python3 "$tmp/watch.py" 0 >/dev/null
spans=()
for generation in $(seq 1 "$rounds"); do
  python3 "$tmp/watch.py" "$generation" >"$tmp/seen" & watching=$!
  deploy i1 bench "$generation"
  wait $watching
  spans+=("$(sort -g "$tmp/seen" | awk 'NR==1 {first=$1} {last=$1} END {printf "%.0f", (last-first)*1000}')")
done
record propagation_rounds "$rounds"
record propagation_p50_ms "$(median "${spans[@]}")"
record propagation_max_ms "$(printf '%s\n' "${spans[@]}" | sort -g | tail -1)"
