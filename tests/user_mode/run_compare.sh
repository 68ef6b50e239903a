#!/usr/bin/env bash
# run_compare.sh — one program under qemu-ppc64 (the oracle) and under
# `dusim run-elf`: the same standard output and the same exit code (and, with
# --stderr, the same standard error apart from each tool's own "qemu:" /
# "dusim:" lines).
#
#   run_compare.sh --sim DUSIM --qemu QEMU --elf PROG.elf [--arg A]... [--oracle-arg A]...
#                  [--sim-opt OPT]... [--cwd DIR] [--tree SCRIPT DIR] [--expect-exit N]
#                  [--stderr] [--stdin FILE] [--timeout SECONDS]
#
# --arg goes to the program on both; --oracle-arg only under qemu (after the
# --arg ones), --sim-opt only to dusim (before the program). qemu runs in
# --cwd (default: the current directory). --tree SCRIPT DIR runs `SCRIPT DIR`
# first (a fresh file tree for the program). Standard input is FILE on both
# (default /dev/null). On a mismatch it prints both
# exit codes and a diff (qemu first), and exits 1.
set -uo pipefail
sim="" qemu="" elf="" cwd="." expect_exit=0 with_stderr=0 limit=120 tree_script="" tree_dir="" input=/dev/null
args=() oracle_args=() sim_opts=()
while (($#)); do
  case "$1" in
    --sim) sim=$2; shift 2 ;;
    --qemu) qemu=$2; shift 2 ;;
    --elf) elf=$2; shift 2 ;;
    --arg) args+=("$2"); shift 2 ;;
    --oracle-arg) oracle_args+=("$2"); shift 2 ;;
    --sim-opt) sim_opts+=("$2"); shift 2 ;;
    --cwd) cwd=$2; shift 2 ;;
    --tree) tree_script=$2; tree_dir=$3; shift 3 ;;
    --expect-exit) expect_exit=$2; shift 2 ;;
    --stderr) with_stderr=1; shift ;;
    --stdin) input=$2; shift 2 ;;
    --timeout) limit=$2; shift 2 ;;
    *) echo "run_compare.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
for v in sim qemu elf; do
  if [[ -z ${!v} ]]; then echo "run_compare.sh: --$v is required" >&2; exit 2; fi
done
[[ -f $elf ]] || { echo "run_compare.sh: $elf was not built" >&2; exit 2; }
if [[ -n $tree_script ]]; then "$tree_script" "$tree_dir" || exit 2; fi

work=$(mktemp -d "${TMPDIR:-/tmp}/run-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT
elf_abs=$(realpath "$elf")
(cd "$cwd" && timeout "$limit" "$qemu" "$elf_abs" "${args[@]}" "${oracle_args[@]}" < "$input" > "$work/q.out" 2> "$work/q.err"
 exit $?) 2> /dev/null  # keeps bash's notice of a guest's fatal signal (qemu dies of it) out of the output
q_rc=$?
timeout "$limit" "$sim" run-elf "${sim_opts[@]}" "$elf_abs" "${args[@]}" < "$input" > "$work/d.out" 2> "$work/d.err"
d_rc=$?

problems=()
((q_rc == expect_exit)) || problems+=("qemu exited $q_rc, the program should exit $expect_exit (the oracle run itself is wrong)")
((d_rc == q_rc)) || problems+=("exit code: qemu $q_rc, dusim $d_rc")
cmp -s "$work/q.out" "$work/d.out" || problems+=("standard output differs")
if ((with_stderr)); then
  grep -v '^qemu: ' "$work/q.err" > "$work/q.err2"
  grep -v '^dusim: ' "$work/d.err" > "$work/d.err2"
  cmp -s "$work/q.err2" "$work/d.err2" || problems+=("standard error differs")
fi
name=$(basename "$elf")${args[*]:+ ${args[*]}}
if ((${#problems[@]} == 0)); then
  echo "ok $name: exit $q_rc, $(wc -l < "$work/q.out") lines identical on qemu-ppc64 and dusim"
  exit 0
fi
echo "MISMATCH $name"
for p in "${problems[@]}"; do echo "  - $p"; done
echo "  command: $sim run-elf ${sim_opts[*]} $elf_abs ${args[*]}"
diff -u --label "qemu-ppc64" --label "dusim" "$work/q.out" "$work/d.out" | head -n 60 | sed 's/^/  /'
if ((with_stderr)); then
  diff -u --label "qemu-ppc64 stderr" --label "dusim stderr" "$work/q.err2" "$work/d.err2" | head -n 30 | sed 's/^/  /'
fi
echo "  --- dusim stderr, first 30 lines ---"
head -n 30 "$work/d.err" | sed 's/^/  /'
exit 1
