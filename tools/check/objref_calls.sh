#!/usr/bin/env bash
# Checks every call through an obj::ObjRef in the guest's C++ sources against
# the rules of the object-call trampolines (guest_os/objects/object_table.h):
# virtual, not final, not qualified, no field, at most 7 register arguments,
# no aggregate result or argument. Uses clang's AST (clang-query, Debian
# package clang-tools), compiling each source for powerpc64 as the guest
# build does.
#
#   tools/check/objref_calls.sh [FILE...]   default: every guest C++ source
#
# Exit 0: no violation; 1: violations (printed with file, line and rule);
# 2: a source did not parse (printed), so nothing can be said about it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
query=tools/check/objref_calls.query
cq="$(command -v clang-query-14 || command -v clang-query || true)"
if [[ -z "$cq" ]]; then
  echo "objref_calls: clang-query not found (Debian package clang-tools)" >&2
  exit 2
fi
if (($#)); then
  files=("$@")
else
  # Guest code: the kernel and its objects, the guest tests and update
  # modules, the scenarios' and labs' modules.
  # modules, the scenarios' and labs' modules (host-side tests among them,
  # which include GoogleTest, are not guest code).
  mapfile -t files < <(git ls-files 'guest_os/*.cc' 'tests/guest/*.cc' 'tests/objects/*.cc' 'tests/update/*.cc' \
                         'scenarios/*.cc' 'labs/*.cc' | xargs grep -L 'include <gtest/')
fi
flags=(--target=powerpc64-linux-gnu -std=gnu++20 -ffreestanding -fno-exceptions -fno-rtti -msoft-float
       -nostdinc++ -I guest_os/include -I guest_os -I tests -DFCM_VERSION=2 -Wno-everything)
out="$("$cq" -f "$query" "${files[@]}" -- "${flags[@]}" 2>&1)" || true
if grep -qE "error:|Error while processing" <<< "$out"; then
  grep -E -A3 "error:|Error while processing" <<< "$out" >&2
  echo "objref_calls: a source did not parse; see above" >&2
  exit 2
fi
violations="$(grep -E ': note: "[^"]+" binds here' <<< "$out" || true)"
if [[ -n "$violations" ]]; then
  sed -E 's/: note: "([^"]+)" binds here/: \1/' <<< "$violations"
  echo
  echo "objref_calls: $(wc -l <<< "$violations") call(s) break the rules of object_table.h" >&2
  exit 1
fi
echo "objref_calls: ${#files[@]} files, every call through an ObjRef is a virtual call the trampolines can serve"
