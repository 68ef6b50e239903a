#!/usr/bin/env bash
# Renders the pipeline scenario's report.html in headless Chromium (offline)
# and checks every plot's marks and table against its report
# (tests/tools/check_report_page.py, which the `report` label runs on the
# seed's scenarios too).
#   check_html.sh DUSIM SCENARIO KERNEL_IMAGE
set -uo pipefail
dusim=$1 scenario=$2 kernel=$3
root=$(cd "$(dirname "$0")/../.." && pwd)
exec "$root/tests/tools/check_report_page.sh" "$dusim" "$root/tools/report/web/render.sh" "$scenario" --set kernel="$kernel"
