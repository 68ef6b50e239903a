// The C++ runtime pieces a freestanding kernel needs: new/delete on the
// kernel heap, pure virtual calls, static constructors, and the symbols GCC
// refers to for static destructors (which never run: the kernel does not
// exit).
#include "kernel/cxxrt.h"

#include "kernel/heap.h"
#include "kernel/panic.h"

void* operator new(size_t n) { return kmalloc(n); }
void* operator new[](size_t n) { return kmalloc(n); }
void operator delete(void* p) noexcept { kfree(p); }
void operator delete[](void* p) noexcept { kfree(p); }
void operator delete(void* p, size_t) noexcept { kfree(p); }
void operator delete[](void* p, size_t) noexcept { kfree(p); }

extern "C" {
void* __dso_handle = nullptr;
int __cxa_atexit(void (*)(void*), void*, void*) { return 0; }
void __cxa_pure_virtual() { panic("pure virtual function called"); }
// Guard variables of function-local statics (compiled with
// -fno-threadsafe-statics these are not used; kept for modules that are not).
int __cxa_guard_acquire(u64* g) { return !*reinterpret_cast<volatile u8*>(g); }
void __cxa_guard_release(u64* g) { *reinterpret_cast<volatile u8*>(g) = 1; }
void __cxa_guard_abort(u64*) {}

typedef void (*InitFn)();
extern InitFn __init_array_start[] __attribute__((weak));
extern InitFn __init_array_end[] __attribute__((weak));
}

void run_static_constructors() {
  for (InitFn* f = __init_array_start; f && f != __init_array_end; ++f) (*f)();
}
