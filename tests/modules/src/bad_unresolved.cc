// Bad: calls a function the kernel does not have. Must be rejected with the
// symbol's name, before anything runs.
#include "test_kernel.h"

extern "C" long kernel_does_not_exist(long);

extern "C" long dusim_module_init(void*) {
  kernel_counter += 1000;  // must never happen
  return kernel_does_not_exist(1);
}
