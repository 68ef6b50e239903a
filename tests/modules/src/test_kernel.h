// The "kernel" the loader test image offers its modules: a few functions and
// data objects, found by name through the image's symbol table (see
// loader_test.cc). Modules include this file; the image defines it all.
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

long kernel_add(long a, long b);
void kernel_print(const char* s);  // console, and remembered for the test
// Calls fn(arg) from kernel code: fn is a module function pointer (descriptor).
long kernel_call_back(long (*fn)(long), long arg);
extern long kernel_counter;
extern const long kernel_table[4];  // {10, 20, 30, 40}

#ifdef __cplusplus
}
#endif
