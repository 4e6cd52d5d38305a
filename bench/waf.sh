#!/usr/bin/env bash
# Gatehouse WAF_v2 against nginx + ModSecurity + the same CRS 3.3.4 (../shared/waf's reference, Azure's settings), in
# the same run, each on one core (CPU 0) with wrk and the backend on CPU 1: a benign GET and a 2 KB urlencoded POST
# (../shared/waf/post2k.lua), each with the firewall on and off, interleaved. Gatehouse serves examples/waf over HTTPS
# (its listener is Https; wafState=Disabled for "off"); nginx serves plain HTTP, as the reference runs.
# Reports requests/s and, per request, what the engine costs (1/rps on - 1/rps off) on each.
# Writes KEY<TAB>VALUE lines to $1. Needs GATEHOUSE_DLL. Binds 127.0.0.1:19720-19729 only. SECS (10) per run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bench_start "$1"
waf=$here/../../shared/waf
secs=${SECS:-10}

start_backend 19720 1
make_pfx server
data=$tmp/gatehouse && mkdir -p "$data"
taskset -c 0 dotnet "$GATEHOUSE_DLL" serve --data-dir "$data" --management-port 0 --no-access-log \
  --resolve "headerappgw-hsa5gjh8fpfebcfd.westus-01.azurewebsites.net=127.0.0.1:19720" --port-map 444=19721 >"$tmp/serve.log" 2>&1 & pids+=($!)
for _ in $(seq 1 300); do [ -f "$data/serve.json" ] && break; sleep 0.1; done
dotnet "$GATEHOUSE_DLL" group create --name bench --location local --data-dir "$data" >/dev/null
deploy_waf() {
  dotnet "$GATEHOUSE_DLL" deployment group create --resource-group bench --data-dir "$data" --template-file "$here/../examples/waf/deploymentTemplate.json" \
    --parameters @"$here/../examples/mtls-passthrough/deploymentParameters.json" \
    --parameters certData="$(base64 -w0 "$tmp/server.pfx")" certPassword= adminSSHKey=unused wafState="$1" >/dev/null
}

WORKERS=1 bash "$waf/start-nginx-waf.sh" 19722 19723 19720 "$tmp/nginx-waf" >/dev/null
trap 'bash "$waf/stop-nginx-waf.sh" "$tmp/nginx-waf"; bench_stop' EXIT INT TERM
for p in $(pgrep -f "nginx.*$tmp/nginx-waf"); do taskset -pc 0 "$p" >/dev/null; done

body=$(printf 'name=Jane+Doe&comment=%02048d' 0 | head -c 2048)
run() { # run KEY URL [wrk args]: requests/s, with every answer checked to be 2xx
  local key=$1 url=$2; shift 2
  local o; o=$(taskset -c 1 wrk -t1 -c"${CONNS:-32}" -d"${secs}s" --timeout 5s -H "User-Agent: wrk" -H "Accept: */*" "$@" "$url" 2>&1)
  [ "$(echo "$o" | parse_errors)" = 0 ] || { echo "$o" >&2; echo "bench: $key had errors or non-2xx answers" >&2; exit 1; }
  record "$key" "$(echo "$o" | parse_rps)"
}
for state in Enabled Disabled Enabled Disabled; do
  deploy_waf $state
  curl -sk -o /dev/null -w '%{http_code}' --data-binary "$body" -H 'Content-Type: application/x-www-form-urlencoded' https://127.0.0.1:19721/ | grep -q 200
  tag=$([ $state = Enabled ] && echo on || echo off)
  port=$([ $state = Enabled ] && echo 19722 || echo 19723)
  run "gatehouse_get_waf_${tag}_rps" https://127.0.0.1:19721/
  run "nginx_get_waf_${tag}_rps" http://127.0.0.1:$port/
  run "gatehouse_post2k_waf_${tag}_rps" https://127.0.0.1:19721/ -s "$waf/post2k.lua"
  run "nginx_post2k_waf_${tag}_rps" http://127.0.0.1:$port/ -s "$waf/post2k.lua"
done
# Keys repeat once per pass; the report reads them as pairs.
python3 - "$out" <<'PY' | tee -a "$out"
import collections, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    key, value = line.rstrip("\n").split("\t")
    runs[key].append(float(value))
best = {k: max(v) for k, v in runs.items()}
for peer in ("gatehouse", "nginx"):
    for kind in ("get", "post2k"):
        on, off = best[f"{peer}_{kind}_waf_on_rps"], best[f"{peer}_{kind}_waf_off_rps"]
        print(f"{peer}_{kind}_engine_ms_per_request\t{1000 / on - 1000 / off:.3f}")
for kind in ("get", "post2k"):
    print(f"gatehouse_over_nginx_{kind}_waf_on\t{best[f'gatehouse_{kind}_waf_on_rps'] / best[f'nginx_{kind}_waf_on_rps']:.2f}")
PY
