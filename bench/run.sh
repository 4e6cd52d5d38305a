#!/usr/bin/env bash
# bench/run.sh: Gatehouse against nginx, HAProxy and the direct backend, measured in one run on this machine.
# Usage: bench/run.sh [--quick]    (REPS, DURATION, WARMUP and OUT may be set in the environment)
# Installs its tools from apt (the bench packages of deps/system-packages), publishes a Release build, runs
# ../shared/bench/peers/run.sh with Gatehouse as the extra gateway, then Gatehouse-only lifecycle scenarios and the
# cost of the access log and metrics, and prints table.md (also results.json in OUT).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
peers=$repo/../shared/bench/peers/run.sh
[ -x "$peers" ] || { echo "bench: $peers not found (shared/ must sit beside the repository)" >&2; exit 1; }

quick=0; [ "${1:-}" = "--quick" ] && quick=1
OUT=${OUT:-${TMPDIR:-/tmp}/gatehouse-bench/$(date +%Y%m%dT%H%M%S)}
mkdir -p "$OUT"

# Installing nginx and haproxy starts their system services on ports 80/443; the benchmark starts its own.
fresh=(); for service in nginx haproxy; do command -v "$service" >/dev/null || fresh+=("$service"); done
"$repo/deps/install-missing" bench
for service in "${fresh[@]}"; do service "$service" stop >/dev/null 2>&1 || true; done

echo "bench: publishing a Release build"
dotnet publish "$repo/src/Gatehouse" -c Release -o "$OUT/publish" --nologo -v quiet >/dev/null
export GATEHOUSE_DLL=$OUT/publish/gatehouse.dll

reps=${REPS:-5}; duration=${DURATION:-3}
[ $quick = 1 ] && { reps=1; duration=2; }
layout="2 cores shared by load generator, backend and gateways; pinned layout: load generator and backend on CPU 0 (taskset -c 0), the gateway under test alone on CPU 1 (taskset -c 1, one worker); ${reps} repeats x ${duration} s, WARMUP ${WARMUP:-5} s per peer; ratios paired within each repeat."
load_before=$(uptime | sed 's/.*load average: //')
echo "bench: peers (direct, nginx, haproxy, gatehouse)"
WARMUP=${WARMUP:-5} "$peers" --peers "direct nginx haproxy" --modes pinned --scenarios "ka abcert hs" \
  --reps "$reps" --duration "$duration" \
  --extra-name gatehouse --extra-port 19110 --extra-cmd "$here/gatehouse-gateway.sh" --out "$OUT/peers" >"$OUT/peers.log" 2>&1 \
  || { tail -30 "$OUT/peers.log" >&2; exit 1; }

echo "bench: gatehouse lifecycle (memory, redeploys under load, deploy to first request)"
"$here/lifecycle.sh" "$OUT/lifecycle.tsv" >"$OUT/lifecycle.log" 2>&1 || { tail -30 "$OUT/lifecycle.log" >&2; exit 1; }
echo "bench: gatehouse plan lifetime (resident memory over redeploys of a gateway with 20 certificates)"
quick_plans=(); [ $quick = 1 ] && quick_plans=(REDEPLOYS=10)
env "${quick_plans[@]}" "$here/plans.sh" "$OUT/plans.tsv" >"$OUT/plans.log" 2>&1 || { tail -30 "$OUT/plans.log" >&2; exit 1; }
# Reported as lifecycle figures.
cat "$OUT/plans.tsv" >>"$OUT/lifecycle.tsv"

echo "bench: what the access log and metrics cost (observed and bare gateways side by side)"
quick_env=(); [ $quick = 1 ] && quick_env=(REPS=2 DURATION=2 WARMUP=3)
env "${quick_env[@]}" "$here/observability.sh" "$OUT/observability.tsv" >"$OUT/observability.log" 2>&1 || { tail -30 "$OUT/observability.log" >&2; exit 1; }

# Bytes allocated per request on each forwarding path, where dotnet-counters is at hand (it is not a Debian package).
allocations=/dev/null
if command -v "${DOTNET_COUNTERS:-dotnet-counters}" >/dev/null; then
  echo "bench: allocated bytes per request (lean and YARP forwarding)"
  "$here/allocations.sh" "$OUT/allocations.tsv" >"$OUT/allocations.log" 2>&1 || { tail -30 "$OUT/allocations.log" >&2; exit 1; }
  allocations=$OUT/allocations.tsv
fi

python3 "$here/report.py" "$OUT/peers/raw.tsv" "$OUT/lifecycle.tsv" "$OUT/observability.tsv" "$OUT" "$layout" "$allocations" \
  "1/5/15 min: $load_before at the start, $(uptime | sed 's/.*load average: //') at the end"
echo "bench: results in $OUT (table.md, results.json, peers/report.md)"
