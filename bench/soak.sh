#!/usr/bin/env bash
# bench/soak.sh [SECONDS]: Gatehouse under mixed load for SECONDS (default 600), to show that nothing leaks and nothing
# fails: keep-alive load (wrk), a new connection with a client certificate per request (curl), slow clients (headers
# and body trickled in), a redeploy every 10 s (every other one swapping the listener certificate), and one of the
# pool's two backends flapping (down 10 s, up 10 s). Prints the serve process's RSS and open file descriptors at the
# start, once a minute and at the end, and the errors of each kind; KEY<TAB>VALUE lines also go to $OUT/soak.tsv.
# Publishes a Release build unless GATEHOUSE_DLL is set. Needs nginx, wrk, curl, openssl, python3. Binds
# 127.0.0.1:19900-19999 only. The machine may be shared: throughput says little, the flatness of RSS and fds does.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
seconds=${1:-600}
OUT=${OUT:-${TMPDIR:-/tmp}/gatehouse-soak/$(date +%Y%m%dT%H%M%S)}
mkdir -p "$OUT"
bench_start "$OUT/soak.tsv"

if [ -z "${GATEHOUSE_DLL:-}" ]; then
  echo "soak: publishing a Release build"
  dotnet publish "$here/../src/Gatehouse" -c Release -o "$OUT/publish" --nologo -v quiet >/dev/null
  export GATEHOUSE_DLL=$OUT/publish/gatehouse.dll
fi

start_backend 19980
start_backend 19981 "" flapping
flapping_pid=$backend_pid
make_pfx server
make_pfx server2
make_client_certificate
start_gatehouse gatehouse 19990 19980 "" --resolve flapping.bench.local=127.0.0.1:19981
url=https://127.0.0.1:19990/
serve=$(serve_json gatehouse pid)

# The bench template with the flapping backend as the pool's second member.
template=$tmp/soak.template.json
python3 - "$here/gateway.template.json" "$template" <<'PY'
import json, sys
template = json.load(open(sys.argv[1]))
gateway = next(r for r in template["resources"] if r["type"] == "Microsoft.Network/applicationGateways")
gateway["properties"]["backendAddressPools"][0]["properties"]["BackendAddresses"].append({"fqdn": "flapping.bench.local"})
json.dump(template, open(sys.argv[2], "w"), indent=1)
PY
export template
deploy gatehouse bench 1

fds() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
count() { grep -c "^$1" "$2" 2>/dev/null || true; }
sample() {  # sample LABEL: one line of figures so far
  printf '%-6s rss_mb %-7s fds %-5s new_connections %s/%s slow_clients %s/%s redeploys %s/%s\n' "$1" \
    "$(rss_mb "$serve" VmRSS)" "$(fds "$serve")" "$(count failed "$tmp/new.log")" "$(wc -l <"$tmp/new.log")" \
    "$(count failed "$tmp/slow.log")" "$(wc -l <"$tmp/slow.log")" "$(count failed "$tmp/redeploy.log")" "$(wc -l <"$tmp/redeploy.log")" \
    | tee -a "$OUT/soak.log"
}
: >"$tmp/new.log"; : >"$tmp/slow.log"; : >"$tmp/redeploy.log"

# Warm up, so that the start figures are of a gateway that has served.
for _ in $(seq 1 50); do curl -sk -o /dev/null "$url"; done
sleep 2
record start_rss_mb "$(rss_mb "$serve" VmRSS)"
record start_fds "$(fds "$serve")"
echo "soak: ${seconds} s; failed/total so far (the keep-alive load's errors come at the end)" | tee "$OUT/soak.log"
sample 0m

# Every answer other than 2xx, from the access log as it is written (it rotates, so it is not read afterwards).
tail -n0 -F --pid="$serve" "$tmp/gatehouse/logs/access.log" 2>/dev/null | grep --line-buffered -v '"httpStatus":2' >"$tmp/answers.log" &

end=$(( $(date +%s) + seconds ))
wrk -t1 -c16 -d"${seconds}"s --timeout 5s "$url" >"$tmp/wrk.out" 2>&1 & load=$!
new_connections "$seconds" "$url" "$tmp/new.log" >/dev/null & connections=$!
python3 "$here/slow-clients.py" "$url" "$seconds" 4 "$tmp/slow.log" & slow=$!

# Redeploys every 10 s, the flapping backend down and up every 10 s, a sample every minute, until time is up.
generation=1 next_minute=$(( $(date +%s) + 60 )) minute=0
while [ "$(date +%s)" -lt "$end" ]; do
  tick=$(( $(date +%s) + 10 ))
  generation=$((generation + 1))
  pfx=$tmp/server.pfx; [ $((generation % 2)) = 1 ] && pfx=$tmp/server2.pfx
  if deploy gatehouse bench "$generation" certData="$(base64 -w0 "$pfx")" 2>>"$tmp/redeploy.err"; then echo ok >>"$tmp/redeploy.log"; else echo failed >>"$tmp/redeploy.log"; fi
  if [ -n "$flapping_pid" ]; then
    kill -TERM "$flapping_pid"; wait "$flapping_pid" 2>/dev/null || true
    kept=(); for p in "${pids[@]}"; do [ "$p" = "$flapping_pid" ] || kept+=("$p"); done
    pids=("${kept[@]}"); flapping_pid=""
  else
    start_backend 19981 "" flapping; flapping_pid=$backend_pid
  fi
  if [ "$(date +%s)" -ge "$next_minute" ]; then minute=$((minute + 1)); next_minute=$((next_minute + 60)); sample "${minute}m"; fi
  while [ "$(date +%s)" -lt "$tick" ] && [ "$(date +%s)" -lt "$end" ]; do sleep 1; done
done
wait $load $connections $slow || true
sleep 5
sample end

keepalive_errors=$(parse_errors <"$tmp/wrk.out")
record seconds "$seconds"
record keepalive_requests "$(awk '/requests in/ {print $1}' "$tmp/wrk.out")"
record keepalive_errors "$keepalive_errors"
record new_connections "$(wc -l <"$tmp/new.log")"
record new_connection_errors "$(count failed "$tmp/new.log")"
record slow_clients "$(wc -l <"$tmp/slow.log")"
record slow_client_errors "$(count failed "$tmp/slow.log")"
record redeploys "$(wc -l <"$tmp/redeploy.log")"
record redeploy_errors "$(count failed "$tmp/redeploy.log")"
record errors $(( keepalive_errors + $(count failed "$tmp/new.log") + $(count failed "$tmp/slow.log") + $(count failed "$tmp/redeploy.log") ))
record end_rss_mb "$(rss_mb "$serve" VmRSS)"
record peak_rss_mb "$(rss_mb "$serve" VmHWM)"
record end_fds "$(fds "$serve")"
# What failed, for the log: wrk's summary, and the reasons slow clients and redeploys gave.
{ echo "keep-alive load (wrk):"; cat "$tmp/wrk.out"; echo "slow clients' failures:"; grep '^failed' "$tmp/slow.log" | sort | uniq -c
  echo "redeploys' errors:"; cat "$tmp/redeploy.err"
  echo "gateway answers other than 2xx in the access log (count, status, error_info, member):"
  python3 -c '
import collections, json, sys
seen = collections.Counter()
for line in sys.stdin:
    try: p = json.loads(line)["properties"]
    except ValueError: continue
    if not 200 <= p["httpStatus"] < 300: seen[(p["httpStatus"], p["error_info"], p["serverRouted"])] += 1
for key, n in seen.most_common(): print(n, *key)' <"$tmp/answers.log"; } >>"$OUT/soak.log" || true
echo "soak: results in $OUT (soak.tsv, soak.log)"
