#!/usr/bin/env bash
# What the access log and the metrics cost: two Gatehouse processes with the same deployment, one as users run it
# (access log file, /metrics exported and scraped once a second) and one with --no-access-log --no-metrics, both on
# CPU 1 under the same keep-alive load at the same time, with wrk and the backend on CPU 0.
# Writes KEY<TAB>VALUE lines to $1. Needs GATEHOUSE_DLL, nginx, wrk, curl, taskset. Binds 127.0.0.1:19800-19899 only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bench_start "$1"
reps=${REPS:-8}; duration=${DURATION:-5}
export CONNS=32

start_backend 19880 0
make_pfx server
# OBSERVED_ARGS narrows down what costs: e.g. --no-metrics measures the access log alone.
start_gatehouse observed 19881 19880 1 ${OBSERVED_ARGS:-}
start_gatehouse bare 19882 19880 1 --no-access-log --no-metrics
metrics=$(serve_json observed managementUrl)metrics
[[ "${OBSERVED_ARGS:-}" == *--no-metrics* ]] || curl -sfk -o /dev/null "$metrics" || { echo "bench: $metrics does not answer" >&2; exit 1; }
[ "$(curl -sk -o /dev/null -w '%{http_code}' "$(serve_json bare managementUrl)metrics")" != 200 ] || { echo "bench: the bare gateway exports metrics" >&2; exit 1; }

# Prometheus scrapes while the load runs, as it would in production (every second: more often than the usual 15 s).
scrape() { local end=$(( $(date +%s) + $1 )); while [ "$(date +%s)" -lt "$end" ]; do curl -sk -o /dev/null "$metrics"; sleep 1; done; }

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # user + system time of the process, in clock ticks
tick_us=$(( 1000000 / $(getconf CLK_TCK) ))
# per_request PID TICKS_BEFORE WRK_OUTPUT: the process's CPU microseconds per request wrk counted.
per_request() { awk -v t=$(( ($(cpu_ticks "$1") - $2) * tick_us )) '/requests in/ {printf "%.2f", t / $1}' "$3"; }

# Both gateways run at once, on the same core, under the same load (a wrk each): whatever else the machine does slows
# both alike, which measuring them one after the other cannot promise on a shared machine. Each round gives the ratio of
# their requests per second and of their CPU time per request (the kernel's accounting for each process).
measure_both() {
  local on_pid off_pid on_before off_before on_wrk off_wrk scraping
  on_pid=$(serve_json observed pid); off_pid=$(serve_json bare pid)
  on_before=$(cpu_ticks "$on_pid"); off_before=$(cpu_ticks "$off_pid")
  scrape "$duration" & scraping=$!
  # Which wrk starts first alternates between rounds, so that neither gateway always gets the head start.
  local first=on second=off
  [ $((rep % 2)) = 0 ] && { first=off; second=on; }
  for side in $first $second; do
    taskset -c 0 wrk -t1 -c"$CONNS" -d"$duration"s --timeout 5s "https://127.0.0.1:$([ $side = on ] && echo 19881 || echo 19882)/" >"$tmp/$side.wrk" 2>&1 &
    eval "${side}_wrk=\$!"
  done
  wait "$on_wrk" "$off_wrk" "$scraping"
  echo "$(parse_rps <"$tmp/on.wrk") $(parse_rps <"$tmp/off.wrk") $(per_request "$on_pid" "$on_before" "$tmp/on.wrk") $(per_request "$off_pid" "$off_before" "$tmp/off.wrk")"
}

# Warm-up until tiered compilation has settled: its background JIT shares the core, and the observed gateway has more
# code to compile.
WARMUP=${WARMUP:-20}; d=$duration; duration=$WARMUP; rep=0; measure_both >/dev/null; duration=$d
costs=(); cpu_costs=()
for rep in $(seq 1 "$reps"); do
  measured=$(measure_both); read -r on off on_cpu off_cpu <<<"$measured"
  [ -n "${off_cpu:-}" ] || { echo "bench: a round gave no figures: $measured" >&2; cat "$tmp/on.wrk" "$tmp/off.wrk" >&2; exit 1; }
  record "observed_rps_$rep" "$on"
  record "bare_rps_$rep" "$off"
  record "observed_cpu_us_per_request_$rep" "$on_cpu"
  record "bare_cpu_us_per_request_$rep" "$off_cpu"
  costs+=("$(python3 -c "print(f'{(1 - $on / $off) * 100:.2f}')")")
  cpu_costs+=("$(python3 -c "print(f'{($on_cpu / $off_cpu - 1) * 100:.2f}')")")
done
lines=$(cat "$tmp"/observed/logs/access.log* 2>/dev/null | wc -l)
[[ "${OBSERVED_ARGS:-}" == *--no-access-log* ]] || [ "$lines" -gt 0 ] || { echo "bench: the observed gateway wrote no access log lines" >&2; exit 1; }
record observed_access_log_lines "$lines"
record observed_requests "$(curl -sk "$metrics" | awk '/^TotalRequests_total/ {s+=$NF} END {printf "%d", s}')"
record observed_access_log_dropped "$(curl -sk "$metrics" | awk '/^AccessLogDroppedEntries/ {s+=$NF} END {printf "%d", s}')"
record observability_cost_rps_pct "$(median "${costs[@]}")"
record observability_cost_rps_pct_range "$(range "${costs[@]}")"
record observability_cost_cpu_pct "$(median "${cpu_costs[@]}")"
record observability_cost_cpu_pct_range "$(range "${cpu_costs[@]}")"
