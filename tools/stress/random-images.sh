#!/usr/bin/env bash
# Soak: thousands of random and mutated guest images on run-elf and run-bare
# (tests/random/random_images.py), on the normal build and, when it exists,
# the sanitized one (build-asan, see tests/fuzz/README.md):
#   random-images.sh [COUNT_PER_RUN] [SEED]
# Two runs per build, each of COUNT_PER_RUN images (default 1000): run-elf
# cycling through 2, 4 and 64 CPUs, run-bare through 2, 4, 16 and 64. The normal build runs
# under a 4 GiB address-space limit; both under a 2 GiB resident-size limit
# and a host timeout per image. Failing images are kept in /tmp/dusim-random-failing.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
count=${1:-1000} seed=${2:-100}
gen=$root/tests/random/random_images.py
status=0
for b in build build-asan; do
  dusim=$root/$b/tools/dusim
  [[ -x $dusim ]] || { echo "$b: not built, skipped"; continue; }
  as=(--as-limit-mib 4096)
  [[ $b == build-asan ]] && as=()
  guest=$root/build/guest
  python3 "$gen" --dusim "$dusim" --mode elf --cpus 2,4,64 --count "$count" --seed "$seed" \
    --programs "$guest/tests/isa/programs" --programs "$guest/tests/user_mode/corpus" "${as[@]}" \
    --keep /tmp/dusim-random-failing || status=1
  python3 "$gen" --dusim "$dusim" --mode bare --cpus 2,4,16,64 --count "$count" --seed "$seed" \
    --programs "$guest/tests/bare" "${as[@]}" --keep /tmp/dusim-random-failing || status=1
done
exit $status
