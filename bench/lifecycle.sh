#!/usr/bin/env bash
# Gatehouse-only scenarios the peers harness has no notion of: memory idle and under load, requests, errors and
# keep-alive p99 latency while the gateway is redeployed, and the time from a deployment being accepted to its first
# request served.
# Writes KEY<TAB>VALUE lines to $1. Needs GATEHOUSE_DLL, nginx, wrk, curl. Binds 127.0.0.1:19700-19799 only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bench_start "$1"

start_backend 19780
make_pfx server
start_gatehouse gatehouse 19781 19780
url=https://127.0.0.1:19781/
serve=$(serve_json gatehouse pid)

# Idle: after start, deployment and a few requests, as a user leaves it.
for _ in $(seq 1 20); do curl -sk -o /dev/null "$url"; done
sleep 2
record idle_rss_mb "$(rss_mb "$serve" VmRSS)"

# Steady load, then the same load while the gateway is redeployed 20 times: each redeploy changes a rewrite value
# and every other one swaps the listener certificate. Keep-alive load without a client certificate (wrk) runs beside
# a loop of new connections with a client certificate (curl, one connection each); every failure of either counts.
make_client_certificate
make_pfx server2

steady=$(wrk_run 10 "$url")
record steady_rps "$(echo "$steady" | parse_rps)"
record steady_p99_ms "$(echo "$steady" | parse_p99)"
record under_load_rss_mb "$(rss_mb "$serve" VmHWM)"
wrk_run 25 "$url" >"$tmp/redeploy.wrk" & load=$!
new_connections 25 "$url" >"$tmp/redeploy.curl" & connections=$!
sleep 1
for generation in $(seq 2 21); do
  pfx=$tmp/server.pfx; [ $((generation % 2)) = 1 ] && pfx=$tmp/server2.pfx
  deploy gatehouse bench "$generation" certData="$(base64 -w0 "$pfx")"
done
wait $load $connections
record redeploys 20
record redeploy_rps "$(parse_rps <"$tmp/redeploy.wrk")"
record redeploy_p99_ms "$(parse_p99 <"$tmp/redeploy.wrk")"
record redeploy_keepalive_errors "$(parse_errors <"$tmp/redeploy.wrk")"
read -r ok failed <"$tmp/redeploy.curl"
record redeploy_new_connections "$ok"
record redeploy_new_connection_errors "$failed"
record peak_rss_mb "$(rss_mb "$serve" VmHWM)"

# Deploy command started -> first request served, on a listener that did not exist before (a second gateway in
# another group, frontend port 19782 bound directly). Includes the command-line process's own start (~0.2 s).
gh gatehouse group create --name bench2 --location local >/dev/null
start=$(date +%s%N)
group=bench2 deploy gatehouse second 1 frontendPort=19782 & deploying=$!
served=""
for _ in $(seq 1 1500); do
  if curl -sk -o /dev/null --max-time 1 https://127.0.0.1:19782/; then served=$(date +%s%N); break; fi
  sleep 0.02
done
wait $deploying
record deploy_to_first_request_ms "$([ -n "$served" ] && echo $(( (served - start) / 1000000 )) || echo timeout)"
