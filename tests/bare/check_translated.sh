#!/usr/bin/env bash
# The same program, translated and not: compute.elf with --arg mmu=1 (an
# identity map, MSR[IR] and MSR[DR] on) must print what it prints in real
# mode, and its CPUs must have translated (TLB misses counted), those of the
# real-mode run not.   check_translated.sh DUSIM COMPUTE_ELF CONFIG
set -uo pipefail
dusim=$1 elf=$2 config=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for m in 0 1; do
  "$dusim" run-bare "$elf" --config "$config" --arg iters=20000 --arg mmu=$m --stats-json "$dir/$m.json" \
    > "$dir/$m.out" 2>&1 || { echo "the run with mmu=$m failed"; cat "$dir/$m.out"; exit 1; }
done
cat "$dir/1.out"
cmp "$dir/0.out" "$dir/1.out" || { diff "$dir/0.out" "$dir/1.out"; exit 1; }
python3 - "$dir/0.json" "$dir/1.json" <<'PY'
import json, sys
real, xlat = (json.load(open(p))["cpus"] for p in sys.argv[1:])
misses = lambda cpus: [c.get("tlb_misses", 0) for c in cpus]
if any(misses(real)):
    sys.exit("real mode counted TLB misses: %s" % misses(real))
if not all(misses(xlat)):
    sys.exit("a translated CPU counted no TLB miss: %s" % misses(xlat))
print("ok: same output; TLB misses per CPU translated %s, real mode %s" % (misses(xlat), misses(real)))
PY
