#!/usr/bin/env bash
# The "extra gateway" for ../shared/bench/peers/run.sh: Gatehouse serving bench/gateway.template.json
# (the quickstart's Passthrough shape with a rewrite that forwards {var_client_certificate} as X-Client-Cert),
# configured only from the BENCH_* variables the harness exports. Runs in the foreground until stopped.
# Needs GATEHOUSE_DLL (a published Release build of src/Gatehouse). Arguments go to serve (e.g. --no-access-log).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=${GATEHOUSE_BENCH_DATA:-$BENCH_TMP/gatehouse}
rm -rf "$data" && mkdir -p "$data"
gh() { dotnet "$GATEHOUSE_DLL" "$@" --data-dir "$data"; }

dotnet "$GATEHOUSE_DLL" serve --data-dir "$data" --management-port 0 --listen-address 127.0.0.1 \
  --resolve "backend.bench.local=127.0.0.1:$BENCH_BACKEND_PORT" --port-map "443=$BENCH_PORT" "$@" >"$data/serve.log" 2>&1 &
serve=$!
trap 'kill -TERM $serve 2>/dev/null; wait $serve 2>/dev/null' EXIT INT TERM
for _ in $(seq 1 300); do [ -f "$data/serve.json" ] && break; sleep 0.1; done
[ -f "$data/serve.json" ] || { cat "$data/serve.log" >&2; exit 1; }

gh group create --name bench --location local >/dev/null
gh deployment group create --resource-group bench --name bench --template-file "$here/gateway.template.json" \
  --parameters @"$here/../examples/mtls-passthrough/deploymentParameters.json" \
  --parameters certData="$(base64 -w0 "$BENCH_PFX")" certPassword= adminSSHKey=unused-by-the-template >/dev/null
echo "gatehouse serving on 127.0.0.1:$BENCH_PORT (serve pid $serve, data $data)"
wait $serve
