#!/usr/bin/env bash
# Every variant of one corpus program (NAME-OPT-CPU.elf: -O0..-O3 for the
# default CPU, power5 and power7) on the guest OS against qemu-ppc64, with
# check_program.sh: the same output and exit code for each.
#   check_corpus.sh CORPUS_DIR NAME CHECK_PROGRAM.sh OPTIONS...
set -uo pipefail
corpus=$1 name=$2
shift 2
n=0 bad=0
for elf in "$corpus/$name"-O*-*.elf; do
  [[ -f $elf ]] || continue
  n=$((n + 1))
  "$@" "$elf" || bad=$((bad + 1))
done
((n > 0)) || { echo "FAIL: no variant of $name in $corpus"; exit 1; }
echo "$name: $((n - bad)) of $n variants as under qemu-ppc64"
((bad == 0))
