# The ISA semantics corpus, described once for both builds:
#  - the guest build (tests/isa/programs/CMakeLists.txt) compiles every program
#    at every optimisation level for every CPU target;
#  - the host build (tests/isa/corpus/CMakeLists.txt) registers one ctest case
#    per program that runs all its variants under qemu-ppc64 and dusim.
#
# A program NAME has its source in NAME.c or NAME.cc beside this file, and
# optionally NAME.args: its command-line arguments, one per line (an empty
# line is an empty argument).
# DUSIM_ISA_EXIT_<NAME>: the exit code it must return (default 0).
set(DUSIM_ISA_CORPUS
  hello arith bits control shapes strings sort sha256 bignum interp atomics args float numeric)
set(DUSIM_ISA_OPT_LEVELS O0 O1 O2 O3 Os)
set(DUSIM_ISA_CPUS default power5 power7)

set(DUSIM_ISA_EXIT_control 19)
set(DUSIM_ISA_EXIT_interp 42)
set(DUSIM_ISA_EXIT_args 7)

# Benchmark programs (tools/bench/isa-mips.sh): -O2, default CPU only.
set(DUSIM_ISA_BENCH bench_sha256 bench_sort)
