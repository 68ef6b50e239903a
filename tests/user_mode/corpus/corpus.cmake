# The glibc/libstdc++ conformance corpus (issue 15, part 4), described once for both builds:
#  - the guest build (corpus/CMakeLists.txt) links every program statically
#    against the cross toolchain's glibc 2.36 and libstdc++ at every
#    optimisation level for every CPU target: NAME-OPT-CPU.elf;
#  - the host build (tests/user_mode/CMakeLists.txt) registers one ctest case per
#    program (label isa) running all its variants under qemu-ppc64 and dusim
#    run-elf (tests/isa/corpus/compare.sh): same stdout, same exit code, and for
#    DUSIM_LIBC_STDERR the same stderr.
#
# Every glibc program needs the FPU, even one that prints only integers:
# glibc's start-up (__libc_start_call_main) calls setjmp, which saves the
# floating-point registers with stfd. DUSIM_LIBC_CORPUS_FP lists the programs
# whose output is floating point as well.
set(DUSIM_LIBC_CORPUS
  printf_int qsort strings malloc setjmp pthreads exit abort
  iostream containers exceptions terminate cxx_threads)
set(DUSIM_LIBC_CORPUS_FP printf_double iostream_double)
set(DUSIM_LIBC_OPT_LEVELS O0 O1 O2 O3)
set(DUSIM_LIBC_CPUS default power5 power7)

# Exit codes other than 0; abort() and std::terminate end by SIGABRT (128 + 6).
set(DUSIM_LIBC_EXIT_exit 7)
set(DUSIM_LIBC_EXIT_abort 134)
set(DUSIM_LIBC_EXIT_terminate 134)
# Programs whose standard error is compared too.
set(DUSIM_LIBC_STDERR exit abort iostream terminate)
