// First half of a module built from two translation units with ld -r: the
// init calls into the other unit through the merged .opd and TOC.
#include "test_kernel.h"

long unit_b_value(long);
extern long unit_b_data;

extern "C" long dusim_module_init(void* arg) {
  if (unit_b_value(5) != 5 * 7 + 42) return -1;
  if (unit_b_data != 99) return -2;
  return 4242 + (arg ? *static_cast<long*>(arg) : 0);
}
