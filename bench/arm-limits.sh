#!/usr/bin/env bash
# Hostile templates against a running `gatehouse serve`: each is validated and deployed through the CLI (as az
# would send it) while serve's resident memory is sampled every 0.1 s. Prints, per template, the error codes serve
# answered, then serve's RSS before, at its peak and after, and whether serve still answers.
# Usage: bench/arm-limits.sh [RESULTS]   (GATEHOUSE_DLL: a published build of src/Gatehouse; built into a scratch
# directory when unset). Binds 127.0.0.1 on OS-assigned ports only. Exits non-zero when a template is accepted,
# serve stops answering, or its RSS passes RSS_LIMIT_MB (500).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bench_start "${1:-/dev/null}"
limit_mb=${RSS_LIMIT_MB:-500}

if [ -z "${GATEHOUSE_DLL:-}" ]; then
  echo "arm-limits: publishing a Release build"
  dotnet publish "$here/../src/Gatehouse" -c Release -o "$tmp/publish" --nologo -v quiet >/dev/null
  GATEHOUSE_DLL=$tmp/publish/gatehouse.dll
fi
data=$tmp/data; mkdir -p "$data"

dotnet "$GATEHOUSE_DLL" serve --data-dir "$data" --management-port 0 >"$tmp/serve.log" 2>&1 & pids+=($!)
for _ in $(seq 1 300); do [ -f "$data/serve.json" ] && break; sleep 0.1; done
[ -f "$data/serve.json" ] || { cat "$tmp/serve.log" >&2; exit 1; }
serve_pid=$(serve_json data pid)
serve_rss_mb() { rss_mb "$serve_pid" VmRSS | cut -d. -f1; }  # whole MB, for the shell's comparisons
gh data group create --name limits --location local >/dev/null

# The templates of the adversarial trial (issue 18), written by Python to $tmp/NAME.json.
python3 - "$tmp" <<'PY'
import json, sys
out = sys.argv[1]
def ip(name, **extra):
    return {"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2024-05-01", "name": name, "location": "local",
            "sku": {"name": "Standard"}, "properties": {"publicIPAllocationMethod": "Static"}, **extra}
def template(resources, variables=None):
    return {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "contentVersion": "1.0.0.0", "variables": variables or {}, "resources": resources}
depth = 20000
cases = {
    "nested-concat-20000": template([ip("ip", tags={"t": "[" + "concat(" * depth + "'x'" + ")" * depth + "]"})]),
    "variable-chain-20000": template([ip("[variables('v0')]")],
        {f"v{i}": (f"[variables('v{i + 1}')]" if i < depth - 1 else "end") for i in range(depth)}),
    "string-doubling-28": template([ip("ip", tags={"t": "[variables('d28')]"})],
        {"d0": "x" * 16, **{f"d{i}": f"[concat(variables('d{i - 1}'), variables('d{i - 1}'))]" for i in range(1, 29)}}),
    "copy-800x800-variable": template([ip("ip", tags={"t": "[string(length(variables('grid')))]"})],
        {"copy": [{"name": "grid", "count": 800, "input": {"copy": [{"name": "row", "count": 800, "input": "[padLeft('x', 1000)]"}]}}]}),
    "copy-800x800-resources": template([ip("[concat('ip', copyIndex())]", copy={"name": "ips", "count": 800},
        properties={"publicIPAllocationMethod": "Static", "copy": [{"name": "ipTags", "count": 800, "input": "[padLeft('x', 1000)]"}]})]),
    "resources-5000": template([ip(f"[concat('ip{j}-', copyIndex())]", copy={"name": f"ips{j}", "count": 800}) for j in range(7)]),
    "template-25mb": template([ip("ip", tags={"t": "x" * (25 * 1024 * 1024)})]),
}
for name, body in cases.items():
    with open(f"{out}/{name}.json", "w") as f: json.dump(body, f)
print(" ".join(cases))
PY
cases="nested-concat-20000 variable-chain-20000 string-doubling-28 copy-800x800-variable copy-800x800-resources resources-5000 template-25mb"

rss_before=$(serve_rss_mb)
( peak=0; while kill -0 "$serve_pid" 2>/dev/null; do r=$(serve_rss_mb); [ "$r" -gt "$peak" ] && { peak=$r; echo "$peak" >"$tmp/peak"; }; sleep 0.1; done ) & sampler=$!
failed=0
for name in $cases; do
  for action in validate create; do
    started=$(date +%s.%N)
    if gh data deployment group "$action" --resource-group limits --name "$name" --template-file "$tmp/$name.json" >"$tmp/out" 2>&1; then
      echo "arm-limits: $name was accepted by $action" >&2; failed=1
    fi
    codes=$(grep -oE '"code": *"[A-Za-z]+"' "$tmp/out" | sed -E 's/.*"([A-Za-z]+)"$/\1/' | paste -sd, -)
    record "${name}_${action}" "${codes:-no-code} ($(python3 -c "import time; print(f'{time.time() - $started:.1f}')") s, serve RSS $(serve_rss_mb) MB after)"
  done
done
kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true

alive=no; gh data group show --name limits >/dev/null 2>&1 && alive=yes
record rss_before_mb "$rss_before"
record rss_peak_mb "$(cat "$tmp/peak" 2>/dev/null || echo "$rss_before")"
record rss_after_mb "$(serve_rss_mb)"
record serve_answers_after "$alive"
[ "$alive" = yes ] || failed=1
[ "$(cat "$tmp/peak")" -lt "$limit_mb" ] || { echo "arm-limits: serve's RSS passed $limit_mb MB" >&2; failed=1; }
exit "$failed"
