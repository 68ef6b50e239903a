#!/usr/bin/env bash
# Runs the corpus (the guest test update_corpus, tests/update/corpus_test.cc)
# and writes its table into README.md, between the "corpus table" markers:
# each change, its kind, the object it changes, whether it applied (or the
# reason it was refused), what its check measured, and whether that is what
# the change promises.
#   tests/update/corpus/run.sh [BUILD_DIR]          4 CPUs, and rewrites README.md
#   CPUS=16 NO_README=1 tests/update/corpus/run.sh  another CPU count, table on stdout only
# Exits 1 if the guest test failed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build=${1:-$root/build}
dusim=${DUSIM:-$build/tools/dusim}
kernel=${KERNEL:-$build/guest/tests/guest/test_kernel.elf}
cpus=${CPUS:-4}
[[ -x $dusim && -f $kernel ]] || { echo "no dusim or test kernel under $build (build first)" >&2; exit 1; }
log=$(mktemp)
trap 'rm -f "$log" "$log.host"' EXIT
start=$(date +%s)
# The host's own messages (stderr) apart from the guest's console (stdout).
"$dusim" run-bare "$kernel" --config "$root/configs/power5-${cpus}cpu.yaml" --arg test=update_corpus --max-ms 20000 \
  >"$log" 2>"$log.host"
rc=$?
secs=$(($(date +%s) - start))
grep -q 'ktest update_corpus: PASS' "$log" || rc=1
table=$(python3 - "$log" "$cpus" <<'PY'
import sys
rows = [l.rstrip("\n").split(" | ") for l in open(sys.argv[1], errors="replace") if l.startswith("corpus | ")]
summary = [l.strip() for l in open(sys.argv[1], errors="replace") if l.startswith("corpus: ") and " changes, " in l]
print("| # | change | kind | object | outcome | check (measured on %s simulated CPUs) | as promised |" % sys.argv[2])
print("|---|---|---|---|---|---|---|")
for i, r in enumerate(rows, 1):
    _, name, kind, obj, outcome, reason, check, ok = (r + [""] * 8)[:8]
    out = outcome if not reason else "%s: %s" % (outcome, reason)
    print("| %d | `%s` | %s | %s | %s | %s | %s |" % (i, name, kind, obj, out, check.replace("|", "/"), ok))
applied = sum(1 for r in rows if len(r) > 4 and r[4] == "applied")
print()
print("%d of %d changes applied (%.0f %%); %s." % (applied, len(rows), 100.0 * applied / max(1, len(rows)),
      summary[0][len("corpus: "):] if summary else "no summary line"))
PY
)
echo "$table"
echo "(${secs} s host)"
if [[ -z ${NO_README:-} && $rc -eq 0 ]]; then
  python3 - "$here/README.md" "$table" <<'PY'
import sys
path, table = sys.argv[1], sys.argv[2]
text = open(path).read()
b, e = "<!-- corpus table: written by run.sh -->", "<!-- end of corpus table -->"
i, j = text.index(b) + len(b), text.index(e)
open(path, "w").write(text[:i] + "\n" + table + "\n" + text[j:])
PY
fi
[[ $rc -eq 0 ]] || { grep -hE 'FAIL|PANIC|CHECK' "$log" "$log.host" | head -20; }
exit $rc
