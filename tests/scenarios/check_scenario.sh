#!/usr/bin/env bash
# Runs one of the seed's scenarios end to end and checks its report.
#   check_scenario.sh DUSIM SCENARIO.yaml [--twice]
# Exit code 0 from `dusim run` means every check in the scenario passed;
# check_report.py then asserts the scenario's key facts from report.json.
# --twice: run it again and require a byte-identical report apart from "host".
set -uo pipefail
dusim=$1 scenario=$2 twice=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$dusim" run "$scenario" --out "$dir/a" || { echo "FAIL: dusim run exited $?"; exit 1; }
python3 "$here/check_report.py" "$dir/a/report.json" || exit 1
if [[ $twice == --twice ]]; then
  "$dusim" run "$scenario" --out "$dir/b" --no-summary > /dev/null || { echo "FAIL: second run exited $?"; exit 1; }
  python3 "$here/check_report.py" --same "$dir/a/report.json" "$dir/b/report.json" || exit 1
fi
