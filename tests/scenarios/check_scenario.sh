#!/usr/bin/env bash
# Runs one of the seed's scenarios end to end and checks its report.
#   check_scenario.sh DUSIM SCENARIO.yaml [--moved | --set KEY=VALUE...]
# Exit code 0 from `dusim run` means every check in the scenario passed;
# check_report.py then asserts the scenario's key facts from report.json.
# --moved: run it again from a copy of scenarios/ and configs/ at another,
# longer path, sampling traffic every 1 ms instead of the scenario's period,
# and require a byte-identical report apart from "host": the run is
# deterministic, does not depend on where the files live, and is not changed
# by how often it is observed.
set -uo pipefail
dusim=$1 scenario=$2 moved=${3:-}
sets=()
[[ $moved == --set ]] && { shift 2; sets=("$@"); moved=""; }
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$dusim" run "$scenario" "${sets[@]}" --out "$dir/a" || { echo "FAIL: dusim run exited $?"; exit 1; }
python3 "$here/check_report.py" "$dir/a/report.json" || exit 1
if [[ $moved == --moved ]]; then
  root=$(cd "$(dirname "$scenario")/.." && pwd)
  copy="$dir/a checkout/somewhere/else"
  mkdir -p "$copy"
  cp -r "$root/scenarios" "$root/configs" "$copy/" || exit 1
  "$dusim" run "$copy/scenarios/$(basename "$scenario")" --set sample_us=1000 --out "$dir/b" --no-summary > /dev/null ||
    { echo "FAIL: run from $copy exited $?"; exit 1; }
  python3 "$here/check_report.py" --same "$dir/a/report.json" "$dir/b/report.json" || exit 1
fi
