# Sourced by the Gatehouse-only bench scripts: their scratch directory and results file, a fast backend, a server
# certificate, a Gatehouse serving gateway.template.json, and wrk.
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# bench_start RESULTS: the bench packages of deps/system-packages installed where missing, a scratch directory $tmp,
# the processes in pids stopped (by pid) and $tmp removed on exit, and record KEY VALUE appending to RESULTS.
bench_start() {
  "$bench_dir/../deps/install-missing" bench
  out=$1
  tmp=$(mktemp -d)
  pids=()
  trap bench_stop EXIT INT TERM
  : >"$out"
}
bench_stop() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
record() { printf '%s\t%s\n' "$1" "$2" | tee -a "$out"; }

# Processes are started as simple commands, so that the pid in pids is the process itself and stopping it stops them.

# start_backend PORT [CPU] [NAME]: nginx answering itself, as the peers harness's backend does, and echoing the
# X-Bench-Generation request header of the bench template's rewrite (so a client sees which deployment served it); its files in $tmp/NAME
# (default nginx), its pid in pids and in backend_pid.
start_backend() {
  local dir=$tmp/${3:-nginx}
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<CONF
worker_processes 1; pid $dir/pid; error_log $dir/error.log warn;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 100000000;
  client_body_temp_path $dir/cb; proxy_temp_path $dir/pt; fastcgi_temp_path $dir/ft; uwsgi_temp_path $dir/ut; scgi_temp_path $dir/st;
  server { listen 127.0.0.1:$1; location / { add_header X-Bench-Generation \$http_x_bench_generation; return 200 "ok\n"; } } }
CONF
  ${2:+taskset -c "$2"} nginx -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" -g 'daemon off;' & pids+=($!)
  backend_pid=$!
}

# make_pfx NAME: a self-signed localhost certificate as $tmp/NAME.pfx with an empty password.
make_pfx() {
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/$1.key" -out "$tmp/$1.pem" -days 2 -subj /CN=localhost 2>/dev/null
  openssl pkcs12 -export -in "$tmp/$1.pem" -inkey "$tmp/$1.key" -out "$tmp/$1.pfx" -passout pass:
}

# start_gatehouse NAME PORT BACKEND_PORT [CPU] [serve options...]: Gatehouse with data in $tmp/NAME, serving the bench
# template on 127.0.0.1:PORT; waits until it answers.
start_gatehouse() {
  local name=$1 port=$2 backend=$3 cpu=${4:-}
  BENCH_TMP=$tmp BENCH_PORT=$port BENCH_BACKEND_PORT=$backend BENCH_PFX=$tmp/server.pfx GATEHOUSE_BENCH_DATA=$tmp/$name \
    ${cpu:+taskset -c "$cpu"} "$bench_dir/gatehouse-gateway.sh" "${@:5}" >"$tmp/$name.log" 2>&1 & pids+=($!)
  for _ in $(seq 1 600); do curl -sk -o /dev/null "https://127.0.0.1:$port/" && return 0; sleep 0.1; done
  echo "bench: $name did not answer on port $port" >&2; cat "$tmp/$name.log" >&2; return 1
}

# serve_json NAME KEY: a field of the serve.json that Gatehouse NAME registered (pid, managementUrl).
serve_json() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$tmp/$1/serve.json" "$2"; }

# gh NAME ARGS...: the gatehouse command line against Gatehouse NAME.
gh() { local name=$1; shift; dotnet "$GATEHOUSE_DLL" "$@" --data-dir "$tmp/$name"; }

# deploy NAME DEPLOYMENT GENERATION [PARAMETER=VALUE...]: deploys $template (default the bench template) to Gatehouse
# NAME in group ${group:-bench}, with $tmp/server.pfx unless certData is given.
deploy() {
  gh "$1" deployment group create --resource-group "${group:-bench}" --name "$2" --template-file "${template:-$bench_dir/gateway.template.json}" \
    --parameters @"$bench_dir/../examples/mtls-passthrough/deploymentParameters.json" \
    --parameters certData="$(base64 -w0 "$tmp/server.pfx")" certPassword= adminSSHKey=unused generation="$3" "${@:4}" >/dev/null
}

# rss_mb PID FIELD: a memory figure of /proc/PID/status (VmRSS, VmHWM) in MB.
rss_mb() { awk -v k="$2" '$1==k":" {printf "%.1f", $2/1024}' "/proc/$1/status"; }

# make_client_certificate: $tmp/client.pem and $tmp/client.key, a P-256 client certificate.
make_client_certificate() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/client.key" -out "$tmp/client.pem" -days 2 -subj /CN=bench-client 2>/dev/null
}

# new_connections SECONDS URL [LOG]: one connection with the client certificate per request until time runs out;
# prints "ok failed" (a failure is any error or a status other than 2xx/3xx), and appends ok/failed lines to LOG.
new_connections() {
  local end=$(( $(date +%s) + $1 )) ok=0 failed=0 log=${3:-/dev/null}
  while [ "$(date +%s)" -lt "$end" ]; do
    if curl -sfk --max-time 5 -o /dev/null --cert "$tmp/client.pem" --key "$tmp/client.key" "$2"; then ok=$((ok+1)); echo ok >>"$log"
    else failed=$((failed+1)); echo failed >>"$log"; fi
  done
  echo "$ok $failed"
}

wrk_run() { wrk -t1 -c"${CONNS:-32}" -d"$1"s --timeout 5s --latency "$2" 2>&1; }  # wrk_run SECONDS URL
parse_rps() { awk '/^Requests\/sec/ {print $2}'; }
# The 99th percentile of wrk's latency distribution, in ms (wrk prints us, ms or s).
parse_p99() { awk '$1=="99%" {v=$2; f=1; if (v ~ /us$/) f=0.001; else if (v ~ /ms$/) f=1; else if (v ~ /s$/) f=1000; sub(/[a-z]+$/, "", v); printf "%.2f", v*f}'; }
parse_errors() { awk '/Socket errors/ {gsub(",",""); s=$4+$6+$8+$10} /Non-2xx/ {n=$5} END {print s+n}'; }
# median VALUES... and range VALUES...: of a few numbers, as the bench scripts report repeated rounds.
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
range() { printf '%s\n' "$@" | sort -g | awk 'NR==1 {lo=$1} {hi=$1} END {print lo ".." hi}'; }
