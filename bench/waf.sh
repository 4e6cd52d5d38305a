#!/usr/bin/env bash
# Gatehouse WAF_v2 against nginx + ModSecurity + the same CRS 3.3.4 (../shared/waf's reference, Azure's settings), in
# the same run, each on one core (CPU 0) with wrk and the backend on CPU 1: a benign GET and a 2 KB urlencoded POST
# (../shared/waf/post2k.lua), each with the firewall on and off, interleaved. Gatehouse serves examples/waf over HTTPS
# (its listener is Https; wafState=Disabled for "off"); nginx serves plain HTTP, as the reference runs.
# Each run is SECS (10) seconds, after WARMUP (10) seconds of GET and of POST on Gatehouse, with a name for Host on
# both sides (a numeric Host trips CRS 920350, a logged warning on every request). Reports requests/s, and the CPU time
# (user+sys, /proc/PID/stat) each gateway process spent over the run divided by the requests it answered: the figure to
# compare on a shared machine, where requests/s is noise. The engine's share is the firewall-on figure less the
# firewall-off one (TLS, proxying and Gatehouse's own work cancel out); the ratios are Gatehouse's figure over nginx's
# (at most 1.0 is the goal). TOGETHER=1 loads both gateways at once (both on CPU 0): CPU figures that saw the same
# contention from the rest of a shared machine.
# Writes KEY<TAB>VALUE lines to $1. Needs GATEHOUSE_DLL. Binds 127.0.0.1:19720-19729 only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bench_start "$1"
waf=$here/../../shared/waf
secs=${SECS:-10}
tick_us=$((1000000 / $(getconf CLK_TCK)))

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
cpu_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo $t; }
gatehouse_pid=${pids[-1]}
nginx_workers=$(pgrep -P "$(cat "$tmp/nginx-waf/nginx.pid")" | tr '\n' ' ')
load() { taskset -c 1 wrk -t1 -c"${CONNS:-32}" -d"${secs}s" --timeout 5s -H "Host: waf.bench.example" -H "User-Agent: wrk" -H "Accept: */*" "$@" 2>&1; }
result() { # result KEY WRK_OUTPUT TICKS: requests/s, and CPU us per request from the gateway's TICKS; every answer checked to be 2xx
  [ "$(echo "$2" | parse_errors)" = 0 ] || { echo "$2" >&2; echo "bench: $1 had errors or non-2xx answers" >&2; exit 1; }
  record "${1}_rps" "$(echo "$2" | parse_rps)"
  record "${1}_cpu_us_per_request" "$(( $3 * tick_us / $(echo "$2" | awk '/requests in/ {print $1}') ))"
}
# pair KIND TAG NGINX_URL [wrk args]: Gatehouse's run, then nginx's; with TOGETHER=1 both at once, so that both see the
# same load from the rest of a shared machine (their CPU per request compares; their requests/s then do not).
pair() {
  local kind=$1 tag=$2 nginx_url=$3; shift 3
  local g n gb nb
  if [ "${TOGETHER:-0}" = 1 ]; then
    gb=$(cpu_ticks "$gatehouse_pid") nb=$(cpu_ticks $nginx_workers)
    load "$@" https://127.0.0.1:19721/ >"$tmp/gatehouse.wrk" & local loading=$!
    n=$(load "$@" "$nginx_url")
    wait $loading
    result "gatehouse_${kind}_waf_${tag}" "$(cat "$tmp/gatehouse.wrk")" $(( $(cpu_ticks "$gatehouse_pid") - gb ))
    result "nginx_${kind}_waf_${tag}" "$n" $(( $(cpu_ticks $nginx_workers) - nb ))
  else
    gb=$(cpu_ticks "$gatehouse_pid"); g=$(load "$@" https://127.0.0.1:19721/)
    result "gatehouse_${kind}_waf_${tag}" "$g" $(( $(cpu_ticks "$gatehouse_pid") - gb ))
    nb=$(cpu_ticks $nginx_workers); n=$(load "$@" "$nginx_url")
    result "nginx_${kind}_waf_${tag}" "$n" $(( $(cpu_ticks $nginx_workers) - nb ))
  fi
}
# Gatehouse's code compiles as it runs (tiered JIT): without a warm-up its first firewall-on runs measure the compiler.
deploy_waf Enabled
load -d"${WARMUP:-10}s" https://127.0.0.1:19721/ >/dev/null
load -d"${WARMUP:-10}s" -s "$waf/post2k.lua" https://127.0.0.1:19721/ >/dev/null
for state in Enabled Disabled Enabled Disabled; do
  deploy_waf $state
  curl -sk -o /dev/null -w '%{http_code}' --data-binary "$body" -H 'Content-Type: application/x-www-form-urlencoded' https://127.0.0.1:19721/ | grep -q 200
  tag=$([ $state = Enabled ] && echo on || echo off)
  port=$([ $state = Enabled ] && echo 19722 || echo 19723)
  pair get $tag http://127.0.0.1:$port/
  pair post2k $tag http://127.0.0.1:$port/ -s "$waf/post2k.lua"
done
# Keys repeat once per pass; the report reads them as pairs.
python3 - "$out" <<'PY' | tee -a "$out"
import collections, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    key, value = line.rstrip("\n").split("\t")
    runs[key].append(float(value))
# The better pass of each: the most requests/s, the least CPU per request.
best = {k: (max(v) if k.endswith("_rps") else min(v)) for k, v in runs.items()}
def cpu(peer, kind, tag): return best[f"{peer}_{kind}_waf_{tag}_cpu_us_per_request"]
for peer in ("gatehouse", "nginx"):
    for kind in ("get", "post2k"):
        on, off = best[f"{peer}_{kind}_waf_on_rps"], best[f"{peer}_{kind}_waf_off_rps"]
        print(f"{peer}_{kind}_engine_ms_per_request\t{1000 / on - 1000 / off:.3f}")
        print(f"{peer}_{kind}_engine_cpu_us_per_request\t{cpu(peer, kind, 'on') - cpu(peer, kind, 'off'):.0f}")
for kind in ("get", "post2k"):
    print(f"gatehouse_over_nginx_{kind}_waf_on\t{best[f'gatehouse_{kind}_waf_on_rps'] / best[f'nginx_{kind}_waf_on_rps']:.2f}")
    print(f"gatehouse_over_nginx_{kind}_waf_on_cpu\t{cpu('gatehouse', kind, 'on') / cpu('nginx', kind, 'on'):.2f}")
    engine = lambda peer: cpu(peer, kind, "on") - cpu(peer, kind, "off")
    print(f"gatehouse_over_nginx_{kind}_engine_cpu\t{engine('gatehouse') / engine('nginx'):.2f}")
PY
