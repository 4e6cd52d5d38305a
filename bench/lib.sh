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

# start_backend PORT [CPU]: nginx answering itself, as the peers harness's backend does.
start_backend() {
  mkdir -p "$tmp/nginx"
  cat >"$tmp/nginx/nginx.conf" <<CONF
worker_processes 1; pid $tmp/nginx/pid; error_log $tmp/nginx/error.log warn;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 100000000;
  client_body_temp_path $tmp/nginx/cb; proxy_temp_path $tmp/nginx/pt; fastcgi_temp_path $tmp/nginx/ft; uwsgi_temp_path $tmp/nginx/ut; scgi_temp_path $tmp/nginx/st;
  server { listen 127.0.0.1:$1; location / { return 200 "ok\n"; } } }
CONF
  ${2:+taskset -c "$2"} nginx -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" -g 'daemon off;' & pids+=($!)
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

wrk_run() { wrk -t1 -c"${CONNS:-32}" -d"$1"s --timeout 5s "$2" 2>&1; }  # wrk_run SECONDS URL
parse_rps() { awk '/^Requests\/sec/ {print $2}'; }
parse_errors() { awk '/Socket errors/ {gsub(",",""); s=$4+$6+$8+$10} /Non-2xx/ {n=$5} END {print s+n}'; }
