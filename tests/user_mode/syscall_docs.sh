#!/usr/bin/env bash
# syscall_docs.sh --tool dusim_syscall_table --readme sim/user_mode/README.md [--write]
# The README's system-call table (between "<!-- syscall-table begin -->" and
# "<!-- syscall-table end -->") must be what the tool prints from
# syscalls.def; --write puts it there instead of comparing.
set -uo pipefail
tool="" readme="" write=0
while (($#)); do
  case "$1" in
    --tool) tool=$2; shift 2 ;;
    --readme) readme=$2; shift 2 ;;
    --write) write=1; shift ;;
    *) echo "syscall_docs.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
begin='<!-- syscall-table begin -->' end='<!-- syscall-table end -->'
grep -qF -- "$begin" "$readme" && grep -qF -- "$end" "$readme" || { echo "syscall_docs.sh: no table markers in $readme" >&2; exit 1; }
generated=$("$tool") || exit 1
current=$(awk -v b="$begin" -v e="$end" '$0 == e {on = 0} on {print} $0 == b {on = 1}' "$readme")
if ((write)); then
  tmp=$(mktemp)
  awk -v b="$begin" -v e="$end" -v file=<(printf '%s\n' "$generated") '
    $0 == b {print; while ((getline line < file) > 0) print line; skip = 1; next}
    $0 == e {skip = 0}
    !skip {print}' "$readme" > "$tmp" && cat "$tmp" > "$readme" && rm -f "$tmp"
  echo "syscall_docs.sh: wrote the table into $readme"
  exit 0
fi
if [[ $generated == "$current" ]]; then
  echo "ok: $readme's system-call table is syscalls.def's ($(grep -c '^| [0-9]' <<< "$generated") rows)"
  exit 0
fi
echo "FAIL: $readme's system-call table differs from syscalls.def; run:"
echo "  tests/user_mode/syscall_docs.sh --tool $tool --readme $readme --write"
diff <(printf '%s\n' "$current") <(printf '%s\n' "$generated") | head -n 20
exit 1
