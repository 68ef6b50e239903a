#!/usr/bin/env bash
# The racy counter loses, at the default quantum, within PCT % of the updates
# it loses in lockstep (quantum 1), and loses some there.
#   check_racy_convergence.sh PCT COMMAND...   (COMMAND runs racy_counter.elf;
#   the script adds --set machine.quantum_cycles=1 for the reference)
set -uo pipefail
pct=$1
shift
lost() { "$@" 2>&1 | sed -n 's/.*racy counter: .*lost \([0-9][0-9]*\).*/\1/p'; }
ref=$(lost "$@" --set machine.quantum_cycles=1)
def=$(lost "$@")
[[ -n "$ref" && -n "$def" ]] || { echo "no 'lost N' line (reference '$ref', default '$def')"; exit 1; }
echo "lost at quantum 1: $ref; at the default quantum: $def (bound $pct %)"
((ref > 0)) || { echo "lockstep lost nothing: the test says nothing"; exit 1; }
diff=$((def > ref ? def - ref : ref - def))
if ((diff * 100 > pct * ref)); then
  echo "FAIL: off by $diff, more than $pct % of $ref"
  exit 1
fi
echo "ok: off by $diff ($((diff * 100 / ref)) %)"
