#!/usr/bin/env bash
# fp_used.sh — the floating-point corpus programs really run on the FPU:
# disassemble every variant of the named programs with objdump and require
# floating-point instructions in each, and every mnemonic of --require in at
# least one variant (so that a build with -msoft-float, or a compiler that
# stops emitting an instruction, cannot pass the corpus comparison vacuously).
#
#   fp_used.sh --objdump PATH --dir DIR --names "float numeric" --require "fadd fmadd ..."
set -uo pipefail
objdump="" dir="" names="" require=""
while (($#)); do
  case "$1" in
    --objdump) objdump=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --names) names=$2; shift 2 ;;
    --require) require=$2; shift 2 ;;
    *) echo "fp_used.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
shopt -s nullglob
# FP mnemonics: f* (arithmetic, moves, compares, converts), lf*/stf* (loads
# and stores), mffs/mtfs*/mcrfs (FPSCR). Switch jump tables sit in .text as
# 32-bit offsets; objdump shows the negative ones (0xfff00000 and up) as
# opcode-63 instructions, so words in that range are not counted.
pattern='^(f[a-z]+\.?|lf[a-z]+|stf[a-z]+|mffs\.?|mtfs[a-z0-9]*\.?|mcrfs)$'
declare -A seen=()
bad=0 count=0
for name in $names; do
  elfs=("$dir/$name"-*.elf)
  if ((${#elfs[@]} == 0)); then
    echo "fp_used.sh: no variants of $name in $dir" >&2
    exit 1
  fi
  for elf in "${elfs[@]}"; do
    count=$((count + 1))
    mnems=$("$objdump" -d "$elf" | awk -F'\t' -v pat="$pattern" 'NF >= 3 {
      split($3, w, " ")
      if (w[1] ~ pat && $2 !~ /^ff f[0-9a-f] /) print w[1]
    }' | sed 's/\.$//' | sort -u)
    if [[ -z $mnems ]]; then
      echo "NO FLOATING POINT in $(basename "$elf")"
      bad=$((bad + 1))
      continue
    fi
    for m in $mnems; do seen[$m]=1; done
  done
done
missing=()
for m in $require; do
  [[ -n ${seen[$m]:-} ]] || missing+=("$m")
done
if ((${#missing[@]})); then
  echo "NOT EMITTED in any variant: ${missing[*]}"
  bad=$((bad + 1))
fi
echo "fp_used: $count ELF files checked, ${#seen[@]} FP mnemonics seen: ${!seen[*]}"
((bad == 0))
