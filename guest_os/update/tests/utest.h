// Guest tests of the update machinery: UTEST is KTEST under another name so
// that tests/update/CMakeLists.txt (label `update`) registers them, not the
// kernel's tests/guest.
#pragma once
#include "kernel/ktest.h"
#define UTEST(name, cpus) KTEST(name, cpus)
