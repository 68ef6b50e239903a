// rt_cxx.cc — the few C++ runtime hooks GCC needs with -fno-exceptions
// -fno-rtti and no libstdc++: global new/delete on the brk heap, the pure
// virtual call handler, and (single-threaded) static-local guards.
#include "rt.h"

void *operator new(size_t n) { return malloc(n); }
void *operator new[](size_t n) { return malloc(n); }
void operator delete(void *p) noexcept { free(p); }
void operator delete[](void *p) noexcept { free(p); }
void operator delete(void *p, size_t) noexcept { free(p); }
void operator delete[](void *p, size_t) noexcept { free(p); }

extern "C" {

void __cxa_pure_virtual()
{
	printf("pure virtual function called\n");
	exit(127);
}

// The guard object's first byte is the "initialised" flag that GCC's inline
// check reads; the second marks an initialisation in progress.
int __cxa_guard_acquire(uint64_t *g)
{
	unsigned char *b = reinterpret_cast<unsigned char *>(g);
	if (b[0])
		return 0;
	if (b[1]) {
		printf("recursive static initialisation\n");
		exit(127);
	}
	b[1] = 1;
	return 1;
}

void __cxa_guard_release(uint64_t *g)
{
	unsigned char *b = reinterpret_cast<unsigned char *>(g);
	b[1] = 0;
	__atomic_store_n(&b[0], 1, __ATOMIC_RELEASE);
}

void __cxa_guard_abort(uint64_t *g)
{
	reinterpret_cast<unsigned char *>(g)[1] = 0;
}
}
