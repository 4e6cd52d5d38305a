#!/usr/bin/env bash
# Resident memory of a gateway that is redeployed again and again: a template generated from gateway.template.json with
# LISTENERS (20) Https listeners on one port, each with its own host name and its own PFX certificate, deployed
# REDEPLOYS (50) times (each deployment changes a rewrite value, so each one compiles and swaps a new plan). The serve
# process's VmRSS is sampled before the first deployment, after it and after every 10th, and once more after 5 s idle,
# with the plans it keeps alive (PlansAlive on /metrics, where the build exports it).
# Writes KEY<TAB>VALUE lines to $1. Needs GATEHOUSE_DLL, nginx, curl, openssl, python3. Binds 127.0.0.1:19600-19699 only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bench_start "$1"
listeners=${LISTENERS:-20}; redeploys=${REDEPLOYS:-50}
port=19682

start_backend 19680
make_pfx server
start_gatehouse gatehouse 19681 19680
serve=$(serve_json gatehouse pid)
metrics=$(serve_json gatehouse managementUrl)metrics
plans_alive() { curl -sk "$metrics" | awk '$1 ~ /^PlansAlive/ {print $2; found=1} END {if (!found) print "n/a"}'; }
sample() { record "rss_mb_after_$1_deployments" "$(rss_mb "$serve" VmRSS)"; record "plans_alive_after_$1_deployments" "$(plans_alive)"; }

for i in $(seq 1 "$listeners"); do make_pfx "site$i"; done
python3 - "$here/gateway.template.json" "$tmp" "$listeners" >"$tmp/many.template.json" <<'PY'
import base64, json, sys
template_path, tmp, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
template = json.load(open(template_path))
gateway = next(r for r in template["resources"] if r["type"] == "Microsoft.Network/applicationGateways")
properties = gateway["properties"]
listener, rule = properties["httpListeners"][0], properties["requestRoutingRules"][0]
ids = "[concat(variables('applicationGatewayID'), '/{0}/{1}')]"
properties["sslCertificates"], properties["httpListeners"], properties["requestRoutingRules"] = [], [], []
for i in range(1, count + 1):
    properties["sslCertificates"].append({"name": f"site{i}", "properties": {
        "data": base64.b64encode(open(f"{tmp}/site{i}.pfx", "rb").read()).decode(), "password": ""}})
    own = json.loads(json.dumps(listener))
    own["name"] = f"site{i}"
    own["properties"]["hostName"] = f"site{i}.bench.local"
    own["properties"]["SslCertificate"]["Id"] = ids.format("sslCertificates", f"site{i}")
    properties["httpListeners"].append(own)
    routed = json.loads(json.dumps(rule))
    routed["Name"] = f"site{i}"
    routed["properties"]["priority"] = 100 + i
    routed["properties"]["httpListener"]["id"] = ids.format("httpListeners", f"site{i}")
    properties["requestRoutingRules"].append(routed)
json.dump(template, sys.stdout)
PY

gh gatehouse group create --name many --location local >/dev/null
deploy_many() {  # deploy_many GENERATION
  gh gatehouse deployment group create --resource-group many --name many --template-file "$tmp/many.template.json" \
    --parameters @"$here/../examples/mtls-passthrough/deploymentParameters.json" \
    --parameters certData=unused certPassword= adminSSHKey=unused frontendPort=$port generation="$1" >/dev/null
}

record listeners_with_own_certificate "$listeners"
sample 0
for generation in $(seq 1 "$redeploys"); do
  deploy_many "$generation"
  if [ "$generation" = 1 ] || [ $((generation % 10)) = 0 ]; then sample "$generation"; fi
done
curl -sfk -o /dev/null --resolve "site$listeners.bench.local:$port:127.0.0.1" "https://site$listeners.bench.local:$port/" \
  || { echo "bench: the last listener does not answer" >&2; exit 1; }
sleep 5
record rss_mb_idle_after_redeploys "$(rss_mb "$serve" VmRSS)"
record peak_rss_mb "$(rss_mb "$serve" VmHWM)"
