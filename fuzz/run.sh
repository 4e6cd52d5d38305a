#!/usr/bin/env bash
# fuzz/run.sh [SECONDS]: each fuzz target of Gatehouse.Fuzz under AFL++ for SECONDS (default 60), one after the other,
# starting from fuzz/seeds/TARGET (plus a PFX made at run time). Installs what deps/system-packages lists for fuzz,
# publishes the targets, instruments Gatehouse's own assemblies with SharpFuzz, prints executions and crashes per target, replays every crash to show its exception, and exits 1 when any target crashed.
# TARGETS="jsonc ocsp" narrows the run; findings stay in fuzz/.findings/TARGET (crashes/ hold the inputs).
set -euo pipefail
fuzz=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-60}
targets=${TARGETS:-"jsonc expression template parameters certificate clienthello ocsp"}
findings=$fuzz/.findings
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

"$fuzz/../deps/install-missing" fuzz
sharpfuzz=$fuzz/.tools/sharpfuzz
[ -x "$sharpfuzz" ] || dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$fuzz/.tools" >/dev/null

bin=$findings/bin
rm -rf "$bin"
dotnet publish "$fuzz/Gatehouse.Fuzz" -c Release -o "$bin" --nologo -v quiet >/dev/null
for assembly in Gatehouse.Arm Gatehouse.Gateway Gatehouse.Network; do "$sharpfuzz" "$bin/$assembly.dll" >/dev/null; done

# Seeds with a private key are made here, not kept in the repository: a PFX with an empty password.
seeds=$findings/seeds
rm -rf "$seeds" && cp -r "$fuzz/seeds" "$seeds"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$findings/leaf.key" -out "$findings/leaf.pem" -days 2 \
  -subj /CN=fuzz-leaf 2>/dev/null
openssl pkcs12 -export -inkey "$findings/leaf.key" -in "$findings/leaf.pem" -passout pass: -out "$seeds/certificate/leaf-empty-password.pfx"

# dotnet itself is not instrumented (SharpFuzz reports coverage from the instrumented assemblies); the machine is
# shared, so AFL neither pins a core nor insists on the CPU governor or core-dump settings.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
crashed=0
for target in $targets; do
  out=$findings/$target
  rm -rf "$out"
  afl-fuzz -V "$seconds" -t 5000 -m none -i "$seeds/$target" -o "$out" -- dotnet "$bin/Gatehouse.Fuzz.dll" "$target" >"$findings/$target.log" 2>&1 \
    || { echo "fuzz: afl-fuzz failed for $target" >&2; tail -20 "$findings/$target.log" >&2; exit 1; }
  stats=$out/default/fuzzer_stats
  stat() { awk -F' *: *' -v key="$1" '$1 == key {print $2}' "$stats"; }
  crashes=$(stat saved_crashes)
  echo "fuzz: $target: $(stat execs_done) executions in $(stat run_time) s, $crashes crashes, $(stat saved_hangs) hangs, $(stat corpus_count) inputs in the corpus"
  if [ "${crashes:-0}" != 0 ]; then
    crashed=1
    for input in "$out"/default/crashes/id:*; do
      echo "fuzz: $target crash $input:" >&2
      dotnet "$bin/Gatehouse.Fuzz.dll" "$target" <"$input" 2>&1 | head -8 >&2 || true
    done
  fi
done
exit "$crashed"
