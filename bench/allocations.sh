#!/usr/bin/env bash
# Bytes the gateway allocates per request, as users run it (access log and metrics on), on each forwarding path:
# Gatehouse on CPU 1 under keep-alive HTTPS load (wrk on CPU 0, no client certificate), after a warm-up; the runtime's
# total allocated bytes (System.Runtime dotnet.gc.heap.total_allocated, read with dotnet-counters) over the requests wrk
# counted. Also the gen0 collections per 1,000 requests.
# Writes KEY<TAB>VALUE lines to $1. Needs GATEHOUSE_DLL, nginx, wrk, curl, taskset and dotnet-counters
# (DOTNET_COUNTERS, default: on the PATH). Binds 127.0.0.1:19900-19909 only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bench_start "$1"
counters=${DOTNET_COUNTERS:-dotnet-counters}
duration=${DURATION:-10}
export CONNS=32

start_backend 19900 0
make_pfx server
for forwarding in lean yarp; do
  port=$([ $forwarding = lean ] && echo 19901 || echo 19902)
  start_gatehouse "$forwarding" "$port" 19900 1 --forwarding "$forwarding"
  pid=$(serve_json "$forwarding" pid)
  taskset -c 0 wrk -t1 -c"$CONNS" -d"${WARMUP:-15}"s "https://127.0.0.1:$port/" >/dev/null 2>&1
  # Counters every second for the load's length; the allocation and gen0 counts are totals, so first and last differ by the run's.
  "$counters" collect -p "$pid" --counters 'System.Runtime[dotnet.gc.heap.total_allocated,dotnet.gc.collections]' --refresh-interval 1 \
    --format csv -o "$tmp/$forwarding.csv" --duration "00:00:$(printf '%02d' $((duration + 3)))" >/dev/null 2>&1 & collecting=$!
  sleep 1
  taskset -c 0 wrk -t1 -c"$CONNS" -d"$duration"s --timeout 5s "https://127.0.0.1:$port/" >"$tmp/$forwarding.wrk" 2>&1
  wait $collecting || true
  requests=$(awk '/requests in/ {print $1}' "$tmp/$forwarding.wrk")
  record "${forwarding}_rps" "$(parse_rps <"$tmp/$forwarding.wrk")"
  python3 - "$tmp/$forwarding.csv" "$requests" "$forwarding" >>"$out" <<'PY'
import csv, sys
path, requests, name = sys.argv[1], float(sys.argv[2]), sys.argv[3]
allocated, gen0 = 0.0, 0.0
with open(path) as f:
    for row in csv.DictReader(f):
        counter, value = row.get("Counter Name", ""), float(row.get("Mean/Increment") or 0)
        if "total_allocated" in counter: allocated += value
        elif "collections" in counter and "gen0" in row.get("Counter Name", "") + row.get("Tags", ""): gen0 += value
# The collection ran a few seconds beyond wrk, when nothing was allocated for requests.
print(f"{name}_allocated_bytes_per_request\t{allocated / requests:.0f}")
print(f"{name}_gen0_per_1000_requests\t{gen0 * 1000 / requests:.2f}")
PY
  tail -2 "$out"
done
