/*
 * atomics.c — GCC's __atomic and __sync builtins at 8/16/32/64 bits, which
 * compile to load-reserve/store-conditional loops (lwarx/stwcx., ldarx/
 * stdcx.; sub-word sizes become masked word loops on CPUs without
 * lbarx/lharx) and to sync/lwsync/isync barriers for the memory orders. Run
 * on one CPU, so every result is deterministic; a spinlock and a reference
 * counter are built on top.
 */
#include "rt/rt.h"

#define NOINLINE __attribute__((noinline))

#define ATOMIC_SUITE(NAME, T)                                                                \
	static NOINLINE uint64_t suite_##NAME(T *p, T a, T b)                                    \
	{                                                                                        \
		uint64_t h = 0;                                                                      \
		*p = a;                                                                              \
		h = rt_mix(h, (uint64_t)__atomic_fetch_add(p, b, __ATOMIC_SEQ_CST));                 \
		h = rt_mix(h, (uint64_t)__atomic_fetch_sub(p, (T)(b >> 1), __ATOMIC_ACQ_REL));       \
		h = rt_mix(h, (uint64_t)__atomic_fetch_and(p, (T)~b, __ATOMIC_RELAXED));             \
		h = rt_mix(h, (uint64_t)__atomic_fetch_or(p, (T)(a >> 3), __ATOMIC_ACQUIRE));        \
		h = rt_mix(h, (uint64_t)__atomic_fetch_xor(p, b, __ATOMIC_RELEASE));                 \
		h = rt_mix(h, (uint64_t)__atomic_fetch_nand(p, a, __ATOMIC_SEQ_CST));                \
		h = rt_mix(h, (uint64_t)__atomic_add_fetch(p, 3, __ATOMIC_SEQ_CST));                 \
		h = rt_mix(h, (uint64_t)__atomic_sub_fetch(p, a, __ATOMIC_RELAXED));                 \
		h = rt_mix(h, (uint64_t)__atomic_or_fetch(p, 0x11, __ATOMIC_SEQ_CST));               \
		h = rt_mix(h, (uint64_t)__atomic_exchange_n(p, b, __ATOMIC_SEQ_CST));                \
		h = rt_mix(h, (uint64_t)__atomic_load_n(p, __ATOMIC_SEQ_CST));                       \
		h = rt_mix(h, (uint64_t)__atomic_load_n(p, __ATOMIC_ACQUIRE));                       \
		T expected = a;                                                                      \
		int ok = __atomic_compare_exchange_n(p, &expected, (T)(a + 1), 0, __ATOMIC_SEQ_CST,  \
		                                     __ATOMIC_SEQ_CST);                              \
		h = rt_mix(h, (uint64_t)ok * 3 + (uint64_t)expected);                                \
		expected = *p;                                                                       \
		ok = __atomic_compare_exchange_n(p, &expected, (T)(a - 1), 0, __ATOMIC_ACQ_REL,      \
		                                 __ATOMIC_ACQUIRE);                                  \
		h = rt_mix(h, (uint64_t)ok * 3 + (uint64_t)expected);                                \
		expected = *p;                                                                       \
		while (!__atomic_compare_exchange_n(p, &expected, (T)(expected * 5 + 1), 1,         \
		                                    __ATOMIC_RELEASE, __ATOMIC_RELAXED))             \
			;                                                                                \
		h = rt_mix(h, (uint64_t)*p);                                                         \
		__atomic_store_n(p, (T)(b ^ a), __ATOMIC_RELEASE);                                   \
		__atomic_store_n(p, (T)(*p + 7), __ATOMIC_SEQ_CST);                                  \
		h = rt_mix(h, (uint64_t)__sync_fetch_and_add(p, (T)9));                              \
		h = rt_mix(h, (uint64_t)__sync_sub_and_fetch(p, (T)4));                              \
		h = rt_mix(h, (uint64_t)__sync_val_compare_and_swap(p, *p, (T)(a * 3)));             \
		h = rt_mix(h, (uint64_t)__sync_bool_compare_and_swap(p, (T)(a + 99), (T)1));         \
		h = rt_mix(h, (uint64_t)__sync_lock_test_and_set(p, (T)(b + 1)));                    \
		__sync_lock_release(p);                                                              \
		h = rt_mix(h, (uint64_t)*p);                                                         \
		return h;                                                                            \
	}

ATOMIC_SUITE(u8, uint8_t)
ATOMIC_SUITE(s16, int16_t)
ATOMIC_SUITE(u32, uint32_t)
ATOMIC_SUITE(s64, int64_t)

/* neighbours of a sub-word atomic must not be disturbed */
struct packed_bytes {
	uint8_t before;
	uint8_t target;
	uint16_t half;
	uint32_t word;
};

static NOINLINE int neighbours_intact(void)
{
	static struct packed_bytes pb = {0xa5, 0, 0x1234, 0xdeadbeef};
	for (int i = 0; i < 300; i++) {
		__atomic_fetch_add(&pb.target, 7, __ATOMIC_SEQ_CST);
		__atomic_fetch_xor(&pb.half, (uint16_t)i, __ATOMIC_SEQ_CST);
	}
	printf("sub-word: before=%02x target=%02x half=%04x word=%08x\n", pb.before, pb.target,
	       pb.half, pb.word);
	return pb.before == 0xa5 && pb.word == 0xdeadbeef && pb.target == (uint8_t)(300 * 7);
}

/* a test-and-set spinlock and a reference-counted object */
static volatile int lock_word;
static void lock(void)
{
	while (__atomic_exchange_n(&lock_word, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&lock_word, __ATOMIC_RELAXED))
			;
}
static void unlock(void)
{
	__atomic_store_n(&lock_word, 0, __ATOMIC_RELEASE);
}

struct object {
	long refs;
	long value;
};
static NOINLINE void get(struct object *o)
{
	__atomic_fetch_add(&o->refs, 1, __ATOMIC_RELAXED);
}
static NOINLINE int put(struct object *o)
{
	if (__atomic_sub_fetch(&o->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		o->value = -1;
		return 1;
	}
	return 0;
}

static unsigned char flag;

int main(int argc, char **argv)
{
	int failures = 0;
	rt_rng rng = {0x0a70a70a70a70a7ULL};
	uint64_t h8 = 0, h16 = 0, h32 = 0, h64 = 0;
	static uint8_t v8;
	static int16_t v16;
	static uint32_t v32;
	static int64_t v64;
	for (int i = 0; i < 200; i++) {
		uint64_t a = rt_next(&rng), b = rt_next(&rng);
		h8 = rt_mix(h8, suite_u8(&v8, (uint8_t)a, (uint8_t)b));
		h16 = rt_mix(h16, suite_s16(&v16, (int16_t)a, (int16_t)b));
		h32 = rt_mix(h32, suite_u32(&v32, (uint32_t)a, (uint32_t)b));
		h64 = rt_mix(h64, suite_s64(&v64, (int64_t)a, (int64_t)b));
	}
	printf("atomics: u8 %016lx s16 %016lx u32 %016lx s64 %016lx\n", (unsigned long)h8,
	       (unsigned long)h16, (unsigned long)h32, (unsigned long)h64);
	failures += !neighbours_intact();

	long counter = 0;
	for (int i = 0; i < 1000; i++) {
		lock();
		counter += i;
		unlock();
	}
	printf("spinlock: counter=%ld lock=%d\n", counter, lock_word);

	struct object o = {1, 77};
	for (int i = 0; i < 10; i++)
		get(&o);
	int freed = 0;
	for (int i = 0; i < 11; i++)
		freed += put(&o);
	printf("refcount: refs=%ld value=%ld freed=%d\n", o.refs, o.value, freed);
	failures += freed != 1;

	int was = __atomic_test_and_set(&flag, __ATOMIC_SEQ_CST);
	int again = __atomic_test_and_set(&flag, __ATOMIC_SEQ_CST);
	__atomic_clear(&flag, __ATOMIC_SEQ_CST);
	printf("test_and_set: %d %d %d\n", was, again, flag);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__sync_synchronize();
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	printf("always lock free: %d %d %d %d\n", __atomic_always_lock_free(1, 0),
	       __atomic_always_lock_free(2, 0), __atomic_always_lock_free(4, 0),
	       __atomic_always_lock_free(8, 0));
	printf("atomics: %d failures\n", failures);
	return failures;
}
