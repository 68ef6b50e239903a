#!/usr/bin/env bash
# Two ./dusim at once take turns building one build folder: while another
# holds the build folder's lock (BUILD/.dusim.lock, as a ./dusim that is
# configuring or building does), ./dusim says it is waiting and builds only
# once the lock is free; the tool it then starts holds no lock (a second
# ./dusim need not wait for a long run).
#   check_build_lock.sh ROOT BUILD
set -uo pipefail
root=$1 build=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# Another "./dusim" holding the lock for 3 s.
flock "$build/.dusim.lock" sleep 3 &
holder=$!
sleep 0.5
start=$(date +%s.%N)
DUSIM_BUILD_DIR=$build "$root/dusim" --version > "$dir/out" 2> "$dir/err"
rc=$?
took=$(python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$start" "$(date +%s.%N)")
wait $holder
[[ $rc -eq 0 ]] || { cat "$dir/out" "$dir/err"; fail "./dusim --version exited $rc"; }
grep -q "^dusim: waiting for another ./dusim building $build" "$dir/err" || { cat "$dir/err"; fail "no 'waiting' note"; }
python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) >= 2.0 else 1)" "$took" || fail "./dusim did not wait for the lock (took $took s)"
echo "ok: ./dusim waited ${took} s for the build folder's lock"
# The tool runs without the lock: a long run does not keep another ./dusim
# waiting.
DUSIM_BUILD_DIR=$build "$root/dusim" run-bare "$build/guest/tests/pipeline/pipeline_guest.elf" --max-ms 100000 > /dev/null 2>&1 &
runner=$!
free=1
for ((i = 0; i < 600; ++i)); do  # its (up-to-date) build first, then the run
  sleep 0.1
  kill -0 $runner 2> /dev/null || break
  [[ $(readlink "/proc/$runner/exe") == */tools/dusim ]] || continue  # still the script (checking, building)
  flock -n "$build/.dusim.lock" true && { free=0; break; }
done
kill -0 $runner 2> /dev/null || fail "the long run ended early"
kill -KILL $runner; wait $runner 2> /dev/null
[[ $free -eq 0 ]] || fail "the tool ./dusim started still holds the build lock"
echo "ok: the tool runs without holding the lock"
