#!/usr/bin/env bash
# Writes the seed corpora (corpus/<target>/seed-*) from the tests' own inputs
# and the built images: make_corpus.sh BUILD_DIR. Regression inputs (corpus/
# <target>/regression-*, kept when a fuzzer found something) are left alone.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$(cd "${1:?usage: make_corpus.sh BUILD_DIR}" && pwd)"
c="$here/corpus"
for t in scenario machine_config set elf decoder gdb_packet module_loader; do
  mkdir -p "$c/$t"
  rm -f "$c/$t"/seed-*
done
put() {  # put TARGET FILE: the file as a seed, named after where it came from
  local name
  name=$(printf '%s' "${2#"$root/"}" | tr '/' '_')
  name=${name#build_}
  cp "$2" "$c/$1/seed-$name"
}
for f in "$root"/scenarios/*.yaml "$root"/tests/pipeline/pipeline.yaml "$root"/tests/pipeline/bad/*.yaml \
         "$root"/tests/tools/*.yaml; do put scenario "$f"; done
for f in "$root"/configs/*.yaml "$root"/tests/config/bad/*.yaml; do put machine_config "$f"; done
# --set: the overrides the tests and docs use, each ended by "\" and one byte.
i=0
while IFS= read -r line; do
  printf '%s' "$line" > "$c/set/seed-$i"
  i=$((i + 1))
done <<'SETS'
machine.cpus=64\ caches.protocol=MOESI\ 
seed=3\ duration_ms=0.5\ 
machine.quantum_cycles=10\ 
caches.enabled=false\ 
caches.l1d.size_kib=64\ caches.l2.assoc=8\ 
sample_us=1000\ updates.0.at_ms=0.39\ 
workloads.0.cpus=0-1\ 
kernel=/nonexistent.elf\ 
latency.load=3\ machine.clock_mhz=100\ 
SETS
for f in "$build"/guest/tests/isa/programs/hello.elf "$build"/tests/gdb/guest.elf \
         "$build"/guest/tests/bare/atomic_counter.elf "$build"/guest/tests/bare/ipi.elf \
         "$build"/guest/tests/pipeline/pipeline_guest.elf; do
  put elf "$f"
done
powerpc64-linux-gnu-strip -g "$c"/elf/seed-*  # symbols stay (the loader reads them), debug info goes
# Decoder: the code of a few programs, in 2 KiB pieces.
for f in "$build"/guest/tests/isa/programs/hello.elf "$build"/guest/tests/bare/atomic_counter.elf "$build"/tests/gdb/guest.elf; do
  tmp=$(mktemp)
  powerpc64-linux-gnu-objcopy -O binary -j .text "$f" "$tmp"
  split -b 2048 -d -a 2 "$tmp" "$c/decoder/seed-$(basename "$f" .elf)-"
  rm -f "$tmp"
done
for f in "$build"/guest/tests/modules/mods/*.o "$build"/guest/tests/update/modules/*.o; do
  [[ $f == *.o.?.o ]] || put module_loader "$f"
done
python3 "$here/gdb_sessions.py" "$c/gdb_packet"
echo "corpus: $(for t in "$c"/*; do printf '%s %s  ' "$(basename "$t")" "$(ls "$t" | wc -l)"; done)"
