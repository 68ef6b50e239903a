#!/usr/bin/env bash
# A program run on the guest OS (kernel/user.cc) against qemu-ppc64: the same
# output (standard output and error as one stream, in the order of their
# writes) and the same exit code.
#   check_program.sh --dusim DUSIM --kernel KERNEL.elf --config CFG.yaml
#                    [--qemu QEMU] [--expect-exit N] [--arg KEY=VALUE]... [--sim-opt OPT]...
#                    [--stdin FILE] [--tree DIR | --image-root DIR] [--oracle-arg ARG]...
#                    PROGRAM.elf [ARG...]
# The guest boots with mmu=on quiet=1 and init=/PROGRAM (its arguments in
# init_args); its console is then the program's output, except the
# kernel's "user: ..." kill reports, which are left out of the comparison
# and checked with --expect-report REGEX instead. Without --qemu the exit
# code alone (--expect-exit, default 0) is checked. --stdin FILE is the
# program's standard input under both (on the guest a file of the initial
# image, init_stdin); without it the guest's reads nothing and qemu's reads
# /dev/null. --tree DIR: the program's working directory holds DIR's tree
# (on the guest /root of the image, with init_cwd=/root; qemu-ppc64 runs
# in DIR); --image-root DIR puts DIR's tree at the image's root, the
# working directory (the guest alone). --oracle-arg ARG goes to qemu-ppc64's run only, after ARGs (a
# test program's switch to expect qemu's own answers where they differ
# from Linux's, which the guest gives).
set -uo pipefail
dusim= kernel= config= qemu= expect_exit= report= stdin= tree=
args=() oracle_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dusim) dusim=$2; shift 2 ;;
    --kernel) kernel=$2; shift 2 ;;
    --config) config=$2; shift 2 ;;
    --qemu) qemu=$2; shift 2 ;;
    --expect-exit) expect_exit=$2; shift 2 ;;
    --expect-report) report=$2; shift 2 ;;
    --arg) args+=(--arg "$2"); shift 2 ;;
    --sim-opt) args+=("$2"); shift 2 ;;
    --stdin) stdin=$2; shift 2 ;;
    --tree) tree=$2; shift 2 ;;
    --image-root) args+=(--tree "/=$2"); shift 2 ;;
    --oracle-arg) oracle_args+=("$2"); shift 2 ;;
    *) break ;;
  esac
done
[[ $# -ge 1 && -n "$dusim" && -n "$kernel" && -n "$config" ]] || { echo "check_program: usage: see the header" >&2; exit 2; }
prog=$1; shift
name=$(basename "$prog")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $name: $*" >&2; exit 1; }
if [[ -n "$tree" ]]; then
  [[ -d "$tree" ]] || fail "no such directory: $tree (--tree)"
  args+=(--tree "root=$tree" --arg init_cwd=/root)
fi
if [[ -n "$stdin" ]]; then
  [[ -f "$stdin" ]] || fail "no such file: $stdin (--stdin)"
  args+=(--file "stdin=$stdin" --arg init_stdin=/stdin)
fi

"$dusim" run-bare "$kernel" --config "$config" --max-ms 2000 --arg mmu=on --arg quiet=1 "${args[@]}" \
  --file "$name=$prog" --arg "init=/$name" --arg "init_args=$*" >"$tmp/console" 2>"$tmp/err"
got=$?
grep -v '^user: ' "$tmp/console" >"$tmp/guest" || true
if [[ -n "$report" ]] && ! grep -Eq "$report" "$tmp/console"; then
  cat "$tmp/console" "$tmp/err"
  fail "no kill report matching /$report/"
fi
if [[ -n "$qemu" ]]; then
  (cd "${tree:-$tmp}" && "$qemu" "$prog" "$@" "${oracle_args[@]}" <"${stdin:-/dev/null}" >"$tmp/oracle.raw" 2>&1)
  want=$?
  # qemu's own line about a fatal signal is not the program's output.
  grep -v '^qemu: uncaught target signal' "$tmp/oracle.raw" >"$tmp/oracle" || true
else
  want=${expect_exit:-0}
fi
[[ -z "$expect_exit" || "$want" == "$expect_exit" ]] || fail "qemu-ppc64 exited $want, the test expects $expect_exit"
if [[ "$got" != "$want" ]]; then
  cat "$tmp/console" "$tmp/err"
  fail "exit code $got on the guest, $want expected"
fi
if [[ -n "$qemu" ]] && ! cmp -s "$tmp/guest" "$tmp/oracle"; then
  diff "$tmp/guest" "$tmp/oracle" | head -20
  fail "output differs from qemu-ppc64's (< guest, > qemu)"
fi
echo "ok $name: exit $got, $(wc -c <"$tmp/guest") bytes of output"
