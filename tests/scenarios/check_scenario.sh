#!/usr/bin/env bash
# Runs one of the shipped scenarios end to end and checks its report.
#   check_scenario.sh DUSIM SCENARIO.yaml [--moved] [--transcript GOLDEN]
#                     [--module NAME.o EMBEDDED.o]... [--set KEY=VALUE...]
# Exit code 0 from `dusim run` means every check in the scenario passed;
# check_report.py then asserts the scenario's key facts from report.json.
# --transcript: the lifecycle transcript of the run's event log must match
# GOLDEN (tests/update/transcript.py; DUSIM_BLESS=1 rewrites it on purpose).
# --module: the module the run compiled, OUT/modules/NAME.o, must be
# byte-identical to EMBEDDED.o, the one the update tests embed (both are
# compiled with guest_os/include/dusim/module_flags.def).
# --moved: run it again from a copy of scenarios/ and configs/ at another,
# longer path, sampling traffic every 1 ms instead of the scenario's period,
# and require a byte-identical report apart from "host": the run is
# deterministic, does not depend on where the files live, and is not changed
# by how often it is observed.
# --set and everything after it are passed to `dusim run`.
set -uo pipefail
dusim=$1 scenario=$2
shift 2
moved="" golden="" modules=() sets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --moved) moved=1; shift ;;
    --transcript) golden=$2; shift 2 ;;
    --module) modules+=("$2" "$3"); shift 3 ;;
    --set) sets=("$@"); break ;;
    *) echo "check_scenario: unknown option $1" >&2; exit 2 ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$dusim" run "$scenario" "${sets[@]}" --out "$dir/a" --events "$dir/events.jsonl" || { echo "FAIL: dusim run exited $?"; exit 1; }
python3 "$here/check_report.py" "$dir/a/report.json" || exit 1
if [[ -n $golden ]]; then
  python3 "$here/../update/transcript.py" --check "$golden" "$dir/events.jsonl" || exit 1
fi
for ((i = 0; i < ${#modules[@]}; i += 2)); do
  cmp "$dir/a/modules/${modules[i]}" "${modules[i + 1]}" ||
    { echo "FAIL: the scenario's ${modules[i]} differs from the update tests' ${modules[i + 1]}"; exit 1; }
  echo "ok: ${modules[i]} is the module the update tests load"
done
if [[ -n $moved ]]; then
  root=$(cd "$(dirname "$scenario")/.." && pwd)
  copy="$dir/a checkout/somewhere/else"
  mkdir -p "$copy"
  cp -r "$root/scenarios" "$root/configs" "$copy/" || exit 1
  "$dusim" run "$copy/scenarios/$(basename "$scenario")" --set sample_us=1000 --out "$dir/b" --no-summary > /dev/null ||
    { echo "FAIL: run from $copy exited $?"; exit 1; }
  python3 "$here/check_report.py" --same "$dir/a/report.json" "$dir/b/report.json" || exit 1
fi
