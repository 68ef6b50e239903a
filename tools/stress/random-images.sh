#!/usr/bin/env bash
# Soak: thousands of random and mutated guest images on run-elf and run-bare
# (tests/random/random_images.py), on the normal build and, when it exists,
# the sanitized one (build-asan, see tests/fuzz/README.md):
#   random-images.sh [--readme] [COUNT_PER_RUN] [SEED]
# Two runs per build, each of COUNT_PER_RUN images (default 1000): run-elf
# cycling through 2, 4 and 64 CPUs, run-bare through 2, 4, 16 and 64. The normal build runs
# under an address-space limit (run-bare 4 GiB; run-elf 72 GiB: it reserves 64); both under a 2 GiB resident-size limit
# and a host timeout per image. Failing images are kept in /tmp/dusim-random-failing.
# Prints a Markdown table of the runs; --readme also writes it into
# tools/stress/README.md (between its random-images markers).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readme=
if [[ ${1:-} == --readme ]]; then readme=1; shift; fi
count=${1:-1000} seed=${2:-100}
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
gen=$root/tests/random/random_images.py
status=0
for b in build build-asan; do
  dusim=$root/$b/tools/dusim
  [[ -x $dusim ]] || { echo "$b: not built, skipped"; continue; }
  # run-elf reserves 64 GiB of address space for a process's mappings (not
  # memory: pages are touched as the guest uses them), run-bare none.
  as_elf=(--as-limit-mib 73728) as_bare=(--as-limit-mib 4096)
  [[ $b == build-asan ]] && as_elf=() as_bare=()
  guest=$root/build/guest
  python3 "$gen" --dusim "$dusim" --mode elf --cpus 2,4,64 --count "$count" --seed "$seed" \
    --programs "$guest/tests/isa/programs" --programs "$guest/tests/user_mode/corpus" "${as_elf[@]}" \
    --keep /tmp/dusim-random-failing --row "$rows" --label "$b" || status=1
  python3 "$gen" --dusim "$dusim" --mode bare --cpus 2,4,16,64 --count "$count" --seed "$seed" \
    --programs "$guest/tests/bare" "${as_bare[@]}" --keep /tmp/dusim-random-failing --row "$rows" --label "$b" || status=1
done
table="| build | mode | CPUs | images | fault | limit | guest exit | refused | FAIL (host signal, hang, memory, sanitizer) | peak RSS MiB | slowest s | total s |
|---|---|---|---|---|---|---|---|---|---|---|---|
$(cat "$rows")"
printf '\n%s\n' "$table"
if [[ -n $readme ]]; then
  python3 - "$root/tools/stress/README.md" "$table" "$seed" "$(date -u +%Y-%m-%d)" <<'PY' || exit 1
import sys
path, table, seed, day = sys.argv[1:]
begin = "<!-- random-images.sh: begin (written by tools/stress/random-images.sh --readme; do not edit) -->"
end = "<!-- random-images.sh: end -->"
text = open(path).read()
if begin not in text or end not in text:
    sys.exit("random-images.sh: no markers in %s" % path)
block = "%s\nSeed %s, on %s:\n\n%s\n%s" % (begin, seed, day, table, end)
head, rest = text.split(begin, 1)
open(path, "w").write(head + block + rest.split(end, 1)[1])
print("random-images.sh: wrote the table into %s" % path)
PY
fi
exit $status
