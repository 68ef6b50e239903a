#!/usr/bin/env bash
# The documentation's examples run as written:
#  - docs/writing-a-scenario.md shows docs/example/'s files exactly, and that
#    example, copied to a folder outside the checkout, validates and passes;
#  - the scenario of tools/README.md ("this one runs as written"), saved in a
#    copy of scenarios/, validates and passes;
#  - every command of README.md's tour names a dusim command that exists and
#    files that exist (the build's under BUILD_DIR).
#   check_docs.sh DUSIM ROOT BUILD_DIR
set -uo pipefail
dusim=$1 root=$2 build=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

python3 - "$root" <<'PY' || exit 1
import re, sys
root = sys.argv[1]
doc = open(root + "/docs/writing-a-scenario.md").read()
blocks = re.findall(r"<!-- file: (\S+) -->\n```[a-z+]*\n(.*?)```\n", doc, re.S)
if len(blocks) != 2:
    print("FAIL: docs/writing-a-scenario.md shows %d example files, expected 2" % len(blocks)); sys.exit(1)
for path, text in blocks:
    if open(root + "/" + path).read() != text:
        print("FAIL: docs/writing-a-scenario.md's listing of %s is not the file" % path); sys.exit(1)
print("ok: the guide shows the example's files as they are")
PY

# Outside the checkout: nothing but the two files.
mkdir -p "$dir/elsewhere" && cp "$root"/docs/example/* "$dir/elsewhere/"
(cd "$dir/elsewhere" && "$dusim" validate cas-fix.yaml) || fail "the example does not validate"
(cd "$dir/elsewhere" && "$dusim" run cas-fix.yaml -q) || fail "the example's run exited $?"
grep -q '"corruptions_after": 0,' "$dir/elsewhere/out/cas-fix/report.json" || fail "the example's report is not in out/cas-fix"
echo "ok: the worked example runs from $dir/elsewhere"

mkdir -p "$dir/copy" && cp -r "$root/scenarios" "$root/configs" "$dir/copy/"
sed -n '/this one runs as written/,/^```$/p' "$root/tools/README.md" | sed '1,/^```yaml$/d;$d' > "$dir/copy/scenarios/readme-example.yaml"
grep -q "^name:" "$dir/copy/scenarios/readme-example.yaml" || fail "tools/README.md has no scenario example after 'this one runs as written'"
"$dusim" validate "$dir/copy/scenarios/readme-example.yaml" || fail "tools/README.md's scenario does not validate"
"$dusim" run "$dir/copy/scenarios/readme-example.yaml" --out "$dir/readme" -q || fail "tools/README.md's scenario exited $?"
echo "ok: tools/README.md's scenario runs as written"

python3 - "$dusim" "$root" "$build" <<'PY' || exit 1
import re, subprocess, sys, os
dusim, root, build = sys.argv[1:4]
readme = open(root + "/README.md").read()
tour = readme.split("## A 5-minute tour", 1)[1].split("\n## ", 1)[0]
commands = []
for block in re.findall(r"```sh\n(.*?)```", tour, re.S):
    text = block.replace("\\\n", " ")
    commands += [l.split("#")[0].strip() for l in text.split("\n") if l.split("#")[0].strip()]
bad = []
known = {"run-elf", "run-bare", "run", "sweep", "validate", "open", "test"}
for c in commands:
    words = c.split()
    if words[0] == "./dusim":
        sub = next((w for w in words[1:] if not w.startswith("-")), "")  # global options may come first
        if sub not in known or subprocess.run([dusim, sub, "--help"], capture_output=True).returncode != 0:
            bad.append("%s: no command %s" % (c, sub))
    for w in words[1:]:
        if "/" not in w or w.startswith("-") or "=" in w or w.startswith("out/") or w.startswith("/tmp/"):
            continue
        path = os.path.join(build, w[len("build/"):]) if w.startswith("build/") else os.path.join(root, w)
        if not os.path.exists(path):
            bad.append("%s: %s does not exist" % (c, w))
for b in bad:
    print("FAIL: README tour:", b)
if bad:
    sys.exit(1)
print("ok: README's tour: %d commands, each a dusim command and existing files" % len(commands))
PY
