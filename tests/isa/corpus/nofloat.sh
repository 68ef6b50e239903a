#!/usr/bin/env bash
# nofloat.sh — the corpus is integer-only (dusim does not model floating
# point): disassemble every corpus ELF with objdump and fail if any
# floating-point, AltiVec or VSX instruction appears, naming it.
#
#   nofloat.sh --objdump PATH --dir DIR
set -uo pipefail
objdump="" dir=""
while (($#)); do
  case "$1" in
    --objdump) objdump=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    *) echo "nofloat.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
shopt -s nullglob
elfs=("$dir"/*.elf)
if ((${#elfs[@]} == 0)); then
  echo "nofloat.sh: no ELF files in $dir" >&2
  exit 1
fi
# Mnemonics: f* (FPU arithmetic, moves, compares, converts), lf*/stf* (FP loads
# and stores), mffs/mtfs* (FPSCR), v*/lv*/stv* (AltiVec), xs*/xv*/xx* and
# lxv*/stxv*/lxs*/stxs*/mfvsr*/mtvsr* (VSX). Switch jump tables sit in .text
# as 32-bit offsets; objdump shows the negative ones (0xfff00000 and up) as
# opcode-63 FP instructions, so words in that range are taken as data.
pattern='^(f[a-z]+\.?|lf[a-z]+|stf[a-z]+|mffs[a-z]*\.?|mtfs[a-z0-9]*\.?|v[a-z0-9]+\.?|lv[a-z]+|stv[a-z]+|x[svx][a-z0-9]+\.?|lx[sv][a-z0-9]*|stx[sv][a-z0-9]*|m[ft]vsr[a-z]*)$'
bad=0
for elf in "${elfs[@]}"; do
  hits=$("$objdump" -d "$elf" |
    awk -F'\t' -v pat="$pattern" 'NF >= 3 {
      split($3, w, " ")
      if (w[1] ~ pat && $2 !~ /^ff f[0-9a-f] /) print "    " $0
    }')
  if [[ -n $hits ]]; then
    echo "FLOATING POINT in $(basename "$elf"):"
    head -n 10 <<< "$hits"
    bad=$((bad + 1))
  fi
done
echo "nofloat: ${#elfs[@]} ELF files checked, $bad with floating-point or vector instructions"
((bad == 0))
