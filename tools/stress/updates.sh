#!/usr/bin/env bash
# Stress of the update lifecycle, outside CI: the guest test update_stress
# (tests/update/stress_test.cc) with SWAPS hot swaps (object swaps, class
# updates and their reverts, module unloads, a commit) under load, at each
# CPU count, checking that no call was lost, duplicated, misrouted or served
# by freed code. The suite runs a short version (update.update_stress.4cpu,
# 300 swaps).
#
#   tools/stress/updates.sh [BUILD_DIR]            10,000 swaps at 4 and 16 CPUs
#   SWAPS=2000 CPUS="4 16 64" tools/stress/updates.sh
#   README=1 tools/stress/updates.sh               also writes the results into README.md
#
# Prints, as it goes, a progress line every PROGRESS swaps (default 1000:
# the counts so far and the host seconds since the run began), then the
# guest's count line per run; exits 1 if any run fails.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
dusim=${DUSIM:-$build/tools/dusim}
kernel=${KERNEL:-$build/guest/tests/guest/test_kernel.elf}
swaps=${SWAPS:-10000}
cpus=${CPUS:-4 16}
progress=${PROGRESS:-1000}
[[ -x $dusim ]] || { echo "no dusim at $dusim (build it, or set DUSIM)" >&2; exit 1; }
[[ -f $kernel ]] || { echo "no kernel at $kernel (build the guest, or set KERNEL)" >&2; exit 1; }
status=0
results=()
for n in $cpus; do
  log=$(mktemp)
  start=$(date +%s)
  # stdbuf: the guest's console is dusim's stdout, block-buffered into a pipe.
  stdbuf -oL "$dusim" run-bare "$kernel" --config "$root/configs/power5-${n}cpu.yaml" --arg test=update_stress --arg swaps="$swaps" \
    --arg progress="$progress" --max-ms 1000000 2>&1 | tee "$log" | while IFS= read -r l; do
    [[ $l == "stress: progress "* ]] && echo "     $n cpus, $(($(date +%s) - start)) s host: ${l#stress: progress }"
  done
  rc=${PIPESTATUS[0]}
  secs=$(($(date +%s) - start))
  line=$(grep -m1 '^stress: [0-9]' "$log" || true)
  if [[ $rc -eq 0 ]] && grep -q 'ktest update_stress: PASS' "$log" && ! grep -q PANIC "$log"; then
    results+=("ok   $n cpus, ${secs} s host: ${line#stress: }")
    echo "${results[-1]}"
  else
    results+=("FAIL $n cpus (exit $rc, ${secs} s host): ${line#stress: }")
    echo "${results[-1]}"
    grep -E 'CHECK FAILED|FAIL|PANIC' "$log" | head -20
    status=1
  fi
  rm -f "$log"
done
if [[ -n ${README:-} ]]; then
  # The block between the markers of README.md: the command and each run's line.
  python3 - "$root/tools/stress/README.md" "SWAPS=$swaps CPUS=\"$cpus\" tools/stress/updates.sh" "${results[@]}" <<'PY'
import sys
path, cmd, lines = sys.argv[1], sys.argv[2], sys.argv[3:]
text = open(path).read()
b, e = "<!-- updates.sh results: written by README=1 tools/stress/updates.sh -->", "<!-- end of updates.sh results -->"
i, j = text.index(b) + len(b), text.index(e)
body = "\n`%s`:\n\n```\n%s\n```\n" % (cmd, "\n".join(lines))
open(path, "w").write(text[:i] + body + text[j:])
PY
fi
exit $status
