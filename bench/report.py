#!/usr/bin/env python3
"""Gatehouse against nginx, HAProxy and the direct backend, from one run: table.md and results.json.

Reads the peers harness's raw.tsv (one row per measurement), lifecycle.tsv (Gatehouse-only scenarios) and
observability.tsv (what the access log and metrics cost).
Ratios are taken per repeat (peers measured seconds apart) and summarised as median [min-max].
"""
import json
import statistics
import sys
from collections import defaultdict

raw_path, lifecycle_path, observability_path, out_dir, layout_note = sys.argv[1:6]
# Optional: bytes allocated per request on each forwarding path (bench/allocations.sh), and the machine's load.
allocations_path = sys.argv[6] if len(sys.argv) > 6 else None
load_note = sys.argv[7] if len(sys.argv) > 7 else None
OURS = "gatehouse"
SCENARIOS = {
    "ka": "keep-alive HTTPS, no client cert (wrk), req/s",
    "abcert": "keep-alive HTTPS, client cert (ab -E), req/s",
    "hs": "new mTLS connections (openssl s_time -new), conn/s",
}

rows = defaultdict(dict)  # (mode, scenario, rep) -> peer -> row
with open(raw_path) as f:
    header = f.readline().rstrip("\n").split("\t")
    for line in f:
        row = dict(zip(header, line.rstrip("\n").split("\t")))
        rows[(row["mode"], row["scenario"], row["rep"])][row["peer"]] = row


def number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def summary(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


results = {"layout": layout_note, "scenarios": {}, "lifecycle": {}, "observability": {}, "goals": {}}
for (mode, scenario, rep), peers in sorted(rows.items()):
    if scenario not in SCENARIOS or OURS not in peers:
        continue
    entry = results["scenarios"].setdefault(f"{mode}/{scenario}", {"what": SCENARIOS[scenario], "mode": mode, "peers": {}, "ratios": {}})
    for peer, row in peers.items():
        p = entry["peers"].setdefault(peer, {"value": [], "p50_ms": [], "p99_ms": [], "errors": [], "cpu_us_per_op": []})
        p["value"].append(number(row["value"]))
        p["p50_ms"].append(number(row["p50_ms"]))
        p["p99_ms"].append(number(row["p99_ms"]))
        p["errors"].append(number(row["errors"]))
        p["cpu_us_per_op"].append(number(row["peer_cpu_us_per_op"]))
    ours = number(peers[OURS]["value"])
    for peer in ("nginx", "haproxy", "direct"):
        if peer in peers and ours and number(peers[peer]["value"]):
            entry["ratios"].setdefault(f"{OURS}/{peer}", []).append(ours / number(peers[peer]["value"]))
        if peer == "nginx" and peer in peers and number(peers[OURS]["p99_ms"]) and number(peers[peer]["p99_ms"]):
            entry["ratios"].setdefault("p99 gatehouse/nginx", []).append(number(peers[OURS]["p99_ms"]) / number(peers[peer]["p99_ms"]))

for entry in results["scenarios"].values():
    for peer, p in entry["peers"].items():
        for key in list(p):
            p[key] = summary(p[key])
    for key in list(entry["ratios"]):
        entry["ratios"][key] = summary(entry["ratios"][key])

results["allocations"] = {}
for path, section in ((lifecycle_path, "lifecycle"), (observability_path, "observability"), (allocations_path, "allocations")):
    if path is None:
        continue
    with open(path) as f:
        for line in f:
            key, value = line.rstrip("\n").split("\t")
            results[section][key] = number(value) if number(value) is not None else value


def ratio(scenario, key):
    r = results["scenarios"].get(f"pinned/{scenario}", {}).get("ratios", {}).get(key)
    return r and r["median"]


def lifecycle_ratio(numerator, denominator):
    a, b = results["lifecycle"].get(numerator), results["lifecycle"].get(denominator)
    return a / b if isinstance(a, float) and isinstance(b, float) and b else None


# Issue #19's goals, each Gatehouse (access log and metrics on, as users run it) against nginx in the same run.
goals = [
    ("keep-alive HTTPS with a client certificate (ab -E), gatehouse/nginx", ratio("abcert", "gatehouse/nginx"), ">=", 1.0),
    ("new mutual-TLS connections/s (openssl s_time -new), gatehouse/nginx", ratio("hs", "gatehouse/nginx"), ">=", 1.0),
    ("keep-alive HTTPS without a client certificate (wrk), gatehouse/nginx", ratio("ka", "gatehouse/nginx"), ">=", 0.9),
    ("keep-alive p99 (wrk), gatehouse/nginx", ratio("ka", "p99 gatehouse/nginx"), "<=", 1.2),
    ("p99 during 20 redeploys / steady p99", lifecycle_ratio("redeploy_p99_ms", "steady_p99_ms"), "<=", 2.0),
    ("idle resident memory after the first requests, MB", results["lifecycle"].get("idle_rss_mb"), "<", 80.0),
    ("resident memory under load, MB", results["lifecycle"].get("under_load_rss_mb"), "<", 150.0),
]
for name, value, op, target in goals:
    met = value is not None and {">=": value >= target, "<=": value <= target, "<": value < target}[op]
    results["goals"][name] = {"value": value, "target": f"{op} {target}", "met": met}


def fmt(s, digits=0):
    if not s:
        return "-"
    f = f"{{:.{digits}f}}"
    return f"{f.format(s['median'])} [{f.format(s['min'])}-{f.format(s['max'])}]"


lines = [f"# Gatehouse benchmark\n", f"{layout_note}\n"]
if load_note:
    lines.append(f"Machine load (uptime) {load_note}\n")
for key, entry in results["scenarios"].items():
    lines.append(f"\n## {entry['what']} ({entry['mode']} layout)\n")
    lines.append("| peer | median [min-max] | p50 ms | p99 ms | CPU us/op | errors |")
    lines.append("|---|---:|---:|---:|---:|---:|")
    for peer in ("direct", "nginx", "haproxy", OURS):
        p = entry["peers"].get(peer)
        if p:
            lines.append(f"| {peer} | {fmt(p['value'])} | {fmt(p['p50_ms'], 2)} | {fmt(p['p99_ms'], 2)} | {fmt(p['cpu_us_per_op'], 1)} | {fmt(p['errors'])} |")
    lines.append("")
    lines.append("| ratio (same repeat) | median [min-max] |")
    lines.append("|---|---:|")
    for name, s in entry["ratios"].items():
        lines.append(f"| {name} | {fmt(s, 2)} |")

lines.append("\n## Gatehouse lifecycle\n")
lines.append("| measure | value |")
lines.append("|---|---:|")
for key, value in results["lifecycle"].items():
    lines.append(f"| {key} | {value} |")

lines.append("\n## What the access log and metrics cost\n")
lines.append("Gatehouse as users run it (access log file, /metrics scraped every second) against the same gateway with")
lines.append("`--no-access-log --no-metrics`, both on CPU 1 under the same wrk load at the same time; median [min-max] over rounds.\n")
lines.append("| measure | value |")
lines.append("|---|---:|")
for key, value in results["observability"].items():
    lines.append(f"| {key} | {value} |")

if results["allocations"]:
    lines.append("\n## Allocated bytes per request (keep-alive HTTPS, no client certificate; access log and metrics on)\n")
    lines.append("| measure | value |")
    lines.append("|---|---:|")
    for key, value in results["allocations"].items():
        lines.append(f"| {key} | {value} |")

lines.append("\n## Goals (issue #19: Gatehouse with access log and metrics on, against nginx in the same run)\n")
lines.append("| goal | value | target | met |")
lines.append("|---|---:|---:|---|")
for name, g in results["goals"].items():
    value = "-" if g["value"] is None else f"{g['value']:.2f}"
    lines.append(f"| {name} | {value} | {g['target']} | {'yes' if g['met'] else 'no'} |")

table = "\n".join(lines) + "\n"
with open(f"{out_dir}/table.md", "w") as f:
    f.write(table)
with open(f"{out_dir}/results.json", "w") as f:
    json.dump(results, f, indent=2)
print(table)
