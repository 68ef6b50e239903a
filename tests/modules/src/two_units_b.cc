// Second half of the two-unit module.
#include "test_kernel.h"

long unit_b_data = 99;
long unit_b_value(long x) { return kernel_add(x * 7, 42); }
