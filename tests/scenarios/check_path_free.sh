#!/usr/bin/env bash
# check_path_free.sh IMAGE.elf CHECKOUT_DIR
# Fails when the bytes IMAGE loads into the machine (its allocated sections)
# contain the checkout's path. Debug sections are not loaded and may keep it.
set -uo pipefail
image=$1 root=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
powerpc64-linux-gnu-objcopy -O binary "$image" "$dir/loaded.bin" || { echo "FAIL: objcopy could not read $image"; exit 1; }
size=$(stat -c %s "$dir/loaded.bin")
[[ $size -gt 0 ]] || { echo "FAIL: no loaded bytes in $image"; exit 1; }
if grep -a -o -F "$root" "$dir/loaded.bin" > "$dir/hits"; then
  echo "FAIL: $image loads $(wc -l < "$dir/hits") string(s) naming $root"
  strings -a "$dir/loaded.bin" | grep -F "$root" | head -5
  exit 1
fi
# The check itself must be able to fail: the debug info still names the checkout.
grep -q -a -F "$root" "$image" || { echo "FAIL: $root not found even in $image's debug info; the check proves nothing"; exit 1; }
echo "PASS: $size loaded bytes of $image do not name $root"
