#!/usr/bin/env bash
# Two runtime settings of Gatehouse side by side, for choosing one by measurement (e.g. a GC setting): gateway A runs with
# the environment in A_ENV, gateway B with B_ENV (space-separated NAME=VALUE; empty = defaults), both as users run it
# (access log and metrics on), both on CPU 1 under the same keep-alive wrk load at the same time (wrk and the backend on
# CPU 0), as bench/observability.sh pairs its two gateways. Each round records both gateways' req/s and p99; the
# summary gives the medians and the resident memory of each after the rounds.
# Writes KEY<TAB>VALUE lines to $1. Needs GATEHOUSE_DLL, nginx, wrk, curl, taskset. Binds 127.0.0.1:19910-19919 only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bench_start "$1"
reps=${REPS:-6}; duration=${DURATION:-5}
export CONNS=32

start_backend 19910 0
make_pfx server
# start_with NAME PORT ENV: a gateway whose process sees the variables of ENV.
start_with() {
  local kv; for kv in $3; do export "${kv?}"; done
  start_gatehouse "$1" "$2" 19910 1
  for kv in $3; do unset "${kv%%=*}"; done
}
start_with a 19911 "${A_ENV:-}"
start_with b 19912 "${B_ENV:-}"
record a_env "${A_ENV:-(defaults)}"
record b_env "${B_ENV:-(defaults)}"

# round SECONDS: both under load at once; the wrk started first alternates between rounds.
round() {
  local first=a second=b
  [ $((rep % 2)) = 0 ] && { first=b; second=a; }
  for side in $first $second; do
    taskset -c 0 wrk -t1 -c"$CONNS" -d"$1"s --timeout 5s --latency "https://127.0.0.1:$([ $side = a ] && echo 19911 || echo 19912)/" >"$tmp/$side.wrk" 2>&1 &
    eval "${side}_wrk=\$!"
  done
  wait "$a_wrk" "$b_wrk"
}
rep=0; round "${WARMUP:-20}"
a_rps=(); b_rps=(); a_p99=(); b_p99=()
for rep in $(seq 1 "$reps"); do
  round "$duration"
  a_rps+=("$(parse_rps <"$tmp/a.wrk")"); b_rps+=("$(parse_rps <"$tmp/b.wrk")")
  a_p99+=("$(parse_p99 <"$tmp/a.wrk")"); b_p99+=("$(parse_p99 <"$tmp/b.wrk")")
  record "round_$rep" "a ${a_rps[-1]} req/s p99 ${a_p99[-1]} ms; b ${b_rps[-1]} req/s p99 ${b_p99[-1]} ms"
done
record a_rps "$(median "${a_rps[@]}")"
record b_rps "$(median "${b_rps[@]}")"
record a_p99_ms "$(median "${a_p99[@]}")"
record b_p99_ms "$(median "${b_p99[@]}")"
record a_rss_mb "$(rss_mb "$(serve_json a pid)" VmRSS)"
record b_rss_mb "$(rss_mb "$(serve_json b pid)" VmRSS)"
record a_peak_rss_mb "$(rss_mb "$(serve_json a pid)" VmHWM)"
record b_peak_rss_mb "$(rss_mb "$(serve_json b pid)" VmHWM)"
