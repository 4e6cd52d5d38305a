#!/usr/bin/env bash
# What Entra JWT validation costs per request: two Gatehouse processes serving the bench template's route, one with an
# entraJWTValidationConfig (Deny) on its rule and one without, both on CPU 1 under the same keep-alive load at the same
# time (wrk and the backend on CPU 0), every request carrying the same valid token from the built-in issuer.
# Writes KEY<TAB>VALUE lines to $1. Needs GATEHOUSE_DLL, nginx, wrk, curl, taskset. Binds 127.0.0.1:19900-19999 only.
# Bounded: WARMUP + REPS x DURATION seconds of load (default 10 + 6 x 5).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bench_start "$1"
reps=${REPS:-6}; duration=${DURATION:-5}
export CONNS=32

start_backend 19980 0
make_pfx server
start_gatehouse validating 19981 19980 1 --no-access-log --no-metrics
start_gatehouse plain 19982 19980 1 --no-access-log --no-metrics

# The validating gateway: the bench template with the rule referencing a configuration for a registered API.
python3 - "$bench_dir/gateway.template.json" "$tmp/jwt.template.json" <<'PY'
import json, sys
template = json.load(open(sys.argv[1]))
template["parameters"].update({"entraTenantId": {"type": "String"}, "entraClientId": {"type": "String"}})
gateway = next(r for r in template["resources"] if r["type"] == "Microsoft.Network/applicationGateways")
gateway["properties"]["entraJWTValidationConfigs"] = [{"name": "bench", "properties": {
    "tenantId": "[parameters('entraTenantId')]", "clientId": "[parameters('entraClientId')]", "unAuthorizedRequestAction": "Deny"}}]
gateway["properties"]["requestRoutingRules"][0]["properties"]["entraJWTValidationConfig"] = {
    "id": "[concat(variables('applicationGatewayID'), '/entraJWTValidationConfigs/bench')]"}
json.dump(template, open(sys.argv[2], "w"))
PY
field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
api=$(gh validating ad app create --display-name bench-api)
client=$(gh validating ad app create --display-name bench-client)
template=$tmp/jwt.template.json deploy validating jwt 1 \
  entraTenantId="$(field tenant <<<"$api")" entraClientId="$(field appId <<<"$api")"
token=$(curl -sf --cacert "$tmp/validating/management-ca.pem" "$(field tokenEndpoint <<<"$client")" -d grant_type=client_credentials \
  -d client_id="$(field appId <<<"$client")" -d client_secret="$(field password <<<"$client")" -d scope="api://$(field appId <<<"$api")/.default" \
  | field access_token)
auth="Authorization: Bearer $token"
# The validating gateway refuses a request without the token and takes one with it: the route under test checks tokens.
[ "$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:19981/")" = 401 ] || { echo "bench: the validating gateway took a request without a token" >&2; exit 1; }
[ "$(curl -sk -o /dev/null -w '%{http_code}' -H "$auth" "https://127.0.0.1:19981/")" = 200 ] || { echo "bench: the validating gateway refused the token" >&2; exit 1; }

# Both at once on the same core, so that whatever else the machine does slows both alike; which wrk starts first
# alternates between rounds.
measure_both() {
  local first=19981 second=19982
  [ $((rep % 2)) = 0 ] && { first=19982; second=19981; }
  for port in $first $second; do
    taskset -c 0 wrk -t1 -c"$CONNS" -d"$duration"s --timeout 5s -H "$auth" "https://127.0.0.1:$port/" >"$tmp/$port.wrk" 2>&1 & eval "wrk_$port=\$!"
  done
  wait "$wrk_19981" "$wrk_19982"
  for port in 19981 19982; do
    [ "$(parse_errors <"$tmp/$port.wrk")" = 0 ] || { echo "bench: errors on port $port" >&2; cat "$tmp/$port.wrk" >&2; exit 1; }
  done
  echo "$(parse_rps <"$tmp/19981.wrk") $(parse_rps <"$tmp/19982.wrk")"
}

d=$duration; duration=${WARMUP:-10}; rep=0; measure_both >/dev/null; duration=$d
ratios=()
for rep in $(seq 1 "$reps"); do
  read -r validating plain <<<"$(measure_both)"
  record "validating_rps_$rep" "$validating"
  record "plain_rps_$rep" "$plain"
  ratios+=("$(python3 -c "print(f'{$validating / $plain:.3f}')")")
done
record jwt_validation_rps_ratio "$(median "${ratios[@]}")"
record jwt_validation_rps_ratio_range "$(range "${ratios[@]}")"
