# Cross toolchain for the guest side: 64-bit big-endian PowerPC, ELFv1 ABI,
# Debian's powerpc64-linux-gnu GCC 12. Used by the guest sub-build that the
# host build drives (see the top-level CMakeLists.txt).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ppc64)
set(CMAKE_C_COMPILER powerpc64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER powerpc64-linux-gnu-g++)
set(CMAKE_ASM_COMPILER powerpc64-linux-gnu-gcc)
set(CMAKE_AR powerpc64-linux-gnu-ar CACHE FILEPATH "")
set(CMAKE_RANLIB powerpc64-linux-gnu-ranlib CACHE FILEPATH "")
set(CMAKE_OBJDUMP powerpc64-linux-gnu-objdump CACHE FILEPATH "")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
# The toolchain cannot link a hosted test program for the compiler checks
# without the static libc; keep the checks to compiling.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
