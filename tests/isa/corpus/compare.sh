#!/usr/bin/env bash
# compare.sh — run every compiled variant of one corpus program under
# qemu-ppc64 (the oracle) and under `dusim run-elf`, and require the same
# standard output and the same exit code.
#
#   compare.sh --sim PATH --qemu PATH --dir DIR --name NAME
#              [--opts "O0 O1 O2 O3 Os"] [--cpus "default power5 power7"]
#              [--expect-exit N] [--args-file FILE] [--timeout SECONDS] [--stderr]
#
# --stderr: standard error must match too, apart from each tool's own lines
# ("qemu: ..." and "dusim: ...", e.g. how each reports a guest killed by a
# signal).
#
# Variants are DIR/NAME-OPT-CPU.elf; every one must exist. Besides the
# qemu/dusim comparison, two checks keep the corpus itself honest: qemu's
# exit code must be the program's expected one, and all variants must print
# the same output under qemu (the programs are written to be independent of
# optimisation level and CPU target). On a mismatch the script prints the
# exit codes, a unified diff of the outputs (qemu first) and the start of
# dusim's standard error (its fault report), and exits 1.
set -uo pipefail

sim="" qemu="" dir="" name="" expect_exit=0 args_file="" limit=120 with_stderr=0
opts="O0 O1 O2 O3 Os" cpus="default power5 power7"
while (($#)); do
  case "$1" in
    --sim) sim=$2; shift 2 ;;
    --qemu) qemu=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --name) name=$2; shift 2 ;;
    --opts) opts=$2; shift 2 ;;
    --cpus) cpus=$2; shift 2 ;;
    --expect-exit) expect_exit=$2; shift 2 ;;
    --args-file) args_file=$2; shift 2 ;;
    --timeout) limit=$2; shift 2 ;;
    --stderr) with_stderr=1; shift ;;
    *) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
for v in sim qemu dir name; do
  if [[ -z ${!v} ]]; then echo "compare.sh: --$v is required" >&2; exit 2; fi
done
if [[ ! -x $sim ]]; then echo "compare.sh: simulator $sim not found or not executable" >&2; exit 2; fi
if [[ ! -x $qemu ]]; then echo "compare.sh: qemu $qemu not found or not executable" >&2; exit 2; fi

args=()
if [[ -n $args_file ]]; then
  if [[ ! -f $args_file ]]; then echo "compare.sh: no arguments file $args_file" >&2; exit 2; fi
  mapfile -t args < "$args_file"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/isa-corpus-$name.XXXXXX")
trap 'rm -rf "$work"' EXIT

total=0 same=0 bad=0
ref_out="" ref_variant=""
for opt in $opts; do
  for cpu in $cpus; do
    variant="$name-$opt-$cpu"
    elf="$dir/$variant.elf"
    total=$((total + 1))
    if [[ ! -f $elf ]]; then
      echo "MISSING $variant: $elf was not built"
      bad=$((bad + 1))
      continue
    fi
    q_out="$work/$variant.qemu.out" d_out="$work/$variant.dusim.out" d_err="$work/$variant.dusim.err"
    # qemu dies of the guest's fatal signal (SIGABRT: 134); a subshell keeps
    # bash's "Aborted" notice out of the output.
    (timeout "$limit" "$qemu" "$elf" "${args[@]}" > "$q_out" 2> "$work/$variant.qemu.err"; exit $?) 2> /dev/null
    q_rc=$?
    timeout "$limit" "$sim" run-elf "$elf" "${args[@]}" > "$d_out" 2> "$d_err"
    d_rc=$?
    problems=()
    if [[ $q_rc -ne $expect_exit ]]; then
      problems+=("qemu exited $q_rc, the program should exit $expect_exit (the oracle run itself is wrong)")
    fi
    if [[ $d_rc -ne $q_rc ]]; then
      problems+=("exit code: qemu $q_rc, dusim $d_rc$( ((d_rc == 124)) && echo ' (timeout or instruction limit)')$( ((d_rc == 126)) && echo ' (guest fault)')")
    fi
    if ! cmp -s "$q_out" "$d_out"; then
      problems+=("standard output differs")
    fi
    if ((with_stderr)); then
      grep -v '^qemu: ' "$work/$variant.qemu.err" > "$work/$variant.qemu.err2"
      grep -v '^dusim: ' "$d_err" > "$work/$variant.dusim.err2"
      if ! cmp -s "$work/$variant.qemu.err2" "$work/$variant.dusim.err2"; then
        problems+=("standard error differs")
        diff -u --label "qemu-ppc64 stderr" --label "dusim stderr" "$work/$variant.qemu.err2" \
          "$work/$variant.dusim.err2" | head -n 20 | sed 's/^/  /' > "$work/$variant.err.diff"
      fi
    fi
    if [[ -z $ref_variant ]]; then
      ref_out="$q_out" ref_variant="$variant"
    elif ! cmp -s "$ref_out" "$q_out"; then
      problems+=("under qemu, $variant prints other output than $ref_variant (the program depends on the variant)")
    fi
    if ((${#problems[@]} == 0)); then
      same=$((same + 1))
      echo "ok       $variant (exit $q_rc, $(wc -l < "$q_out") lines)"
      continue
    fi
    bad=$((bad + 1))
    echo "MISMATCH $variant"
    for p in "${problems[@]}"; do echo "  - $p"; done
    echo "  command: $sim run-elf $elf${args[*]:+ ${args[*]}}"
    if ! cmp -s "$q_out" "$d_out"; then
      echo "  --- diff (qemu vs dusim), first 40 lines ---"
      diff -u --label "qemu-ppc64 $variant" --label "dusim $variant" "$q_out" "$d_out" | head -n 40 | sed 's/^/  /'
    fi
    if [[ -s $work/$variant.err.diff ]]; then
      echo "  --- stderr diff (qemu vs dusim) ---"
      cat "$work/$variant.err.diff"
    fi
    if [[ -s $d_err ]]; then
      echo "  --- dusim stderr, first 40 lines ---"
      head -n 40 "$d_err" | sed 's/^/  /'
    fi
  done
done

echo "corpus $name: $total variants, $same identical on qemu-ppc64 and dusim, $bad different"
((bad == 0 && total > 0))
