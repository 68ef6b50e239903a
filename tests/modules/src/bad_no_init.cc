// Bad: a well-formed module without the dusim_module_init entry point.
#include "test_kernel.h"

extern "C" long some_other_entry(void*) { return kernel_add(1, 2); }
