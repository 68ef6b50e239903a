/*
 * control.c — control flow as GCC compiles it: dense switches (jump tables
 * through CTR), sparse switches (compare trees), computed goto, recursion
 * (naive, mutual, deep), function pointers through ELFv1 descriptors,
 * callbacks, tail calls, many-argument calls (stack-passed parameters),
 * structs passed and returned by value, variable-length arrays, counted
 * loops (bdnz) and early exits.
 */
#include "rt/rt.h"

#define NOINLINE __attribute__((noinline))

/* ---- switches ---- */
static NOINLINE int dense_switch(int x)
{
	switch (x) {
	case 0: return 11;
	case 1: return 23;
	case 2: return 37;
	case 3: return 41;
	case 4: return 59;
	case 5: return 61;
	case 6: return 79;
	case 7: return 83;
	case 8: return 97;
	case 9: return 101;
	case 10: return 113;
	case 11: return 127;
	case 13: return 131;
	case 14: return 149;
	case 15: return 151;
	default: return -1;
	}
}

static NOINLINE int sparse_switch(long x)
{
	switch (x) {
	case -1000000: return 1;
	case -5: return 2;
	case 7: return 3;
	case 100: return 4;
	case 1000: return 5;
	case 65536: return 6;
	case 1000000: return 7;
	case 0x7fffffffL: return 8;
	case 0x100000000L: return 9;
	default: return 0;
	}
}

static NOINLINE unsigned char_class(unsigned char c)
{
	switch (c) {
	case 'a': case 'e': case 'i': case 'o': case 'u': return 1;
	case '0' ... '9': return 2;
	case ' ': case '\t': case '\n': return 3;
	case '+': case '-': case '*': case '/': return 4;
	case 'A' ... 'Z': return 5;
	default: return (c >= 'a' && c <= 'z') ? 6 : 0;
	}
}

/* a state machine driven by a switch inside a loop */
static NOINLINE int count_words_and_numbers(const char *s, int *numbers)
{
	enum { SPACE, WORD, NUMBER } st = SPACE;
	int words = 0;
	*numbers = 0;
	for (; *s; s++) {
		unsigned c = char_class((unsigned char)*s);
		switch (st) {
		case SPACE:
			if (c == 2) {
				st = NUMBER;
				(*numbers)++;
			} else if (c == 1 || c == 5 || c == 6) {
				st = WORD;
				words++;
			}
			break;
		case WORD:
		case NUMBER:
			if (c == 3 || c == 4 || c == 0)
				st = SPACE;
			break;
		}
	}
	return words;
}

/* ---- computed goto: a tiny threaded-code evaluator ---- */
static NOINLINE long threaded(const unsigned char *code, long acc)
{
	static void *const ops[] = {&&op_halt, &&op_inc, &&op_dbl, &&op_neg, &&op_sq, &&op_mod};
	const unsigned char *pc = code;
#define NEXT goto *ops[*pc++]
	NEXT;
op_inc:
	acc += 1;
	NEXT;
op_dbl:
	acc *= 2;
	NEXT;
op_neg:
	acc = -acc;
	NEXT;
op_sq:
	acc = acc * acc;
	NEXT;
op_mod:
	acc %= 1000003;
	NEXT;
op_halt:
	return acc;
#undef NEXT
}

/* ---- recursion ---- */
static NOINLINE uint64_t fib_rec(unsigned n)
{
	return n < 2 ? n : fib_rec(n - 1) + fib_rec(n - 2);
}

static NOINLINE unsigned long ackermann(unsigned long m, unsigned long n)
{
	if (m == 0)
		return n + 1;
	if (n == 0)
		return ackermann(m - 1, 1);
	return ackermann(m - 1, ackermann(m, n - 1));
}

static int is_odd(unsigned n);
static NOINLINE int is_even(unsigned n)
{
	return n == 0 ? 1 : is_odd(n - 1);
}
static NOINLINE int is_odd(unsigned n)
{
	return n == 0 ? 0 : is_even(n - 1);
}

static NOINLINE unsigned long hanoi(int n, int from, int to, int via, unsigned long *sig)
{
	if (n == 0)
		return 0;
	unsigned long moves = hanoi(n - 1, from, via, to, sig);
	*sig = *sig * 31 + (unsigned long)(from * 3 + to);
	moves++;
	return moves + hanoi(n - 1, via, to, from, sig);
}

/* permutations by recursion with an array on the stack of each frame */
static NOINLINE void permute(int *a, int k, int n, uint64_t *h, int *count)
{
	if (k == n) {
		uint64_t v = 0;
		for (int i = 0; i < n; i++)
			v = v * 10 + (uint64_t)a[i];
		*h = rt_mix(*h, v);
		(*count)++;
		return;
	}
	for (int i = k; i < n; i++) {
		int t = a[k];
		a[k] = a[i];
		a[i] = t;
		permute(a, k + 1, n, h, count);
		a[i] = a[k];
		a[k] = t;
	}
}

/* N-queens: recursion with bit masks */
static NOINLINE int queens(unsigned n, unsigned row, uint32_t cols, uint32_t d1, uint32_t d2)
{
	if (row == n)
		return 1;
	int count = 0;
	uint32_t avail = ~(cols | d1 | d2) & ((1u << n) - 1);
	while (avail) {
		uint32_t bit = avail & -avail;
		avail ^= bit;
		count += queens(n, row + 1, cols | bit, (d1 | bit) << 1, (d2 | bit) >> 1);
	}
	return count;
}

/* ---- function pointers ---- */
typedef long (*binop)(long, long);
static NOINLINE long op_add(long a, long b) { return a + b; }
static NOINLINE long op_sub(long a, long b) { return a - b; }
static NOINLINE long op_mul(long a, long b) { return (long)((unsigned long)a * (unsigned long)b); }
static NOINLINE long op_max(long a, long b) { return a > b ? a : b; }
static NOINLINE long op_xor(long a, long b) { return a ^ b; }
static const binop optable[] = {op_add, op_sub, op_mul, op_max, op_xor};

static NOINLINE long fold(const long *v, int n, binop f, long init)
{
	for (int i = 0; i < n; i++)
		init = f(init, v[i]);
	return init;
}

static NOINLINE binop choose(int k)
{
	return optable[k % 5];
}

struct visitor {
	void (*visit)(struct visitor *self, int value);
	long sum;
	int calls;
};
static void visit_square(struct visitor *self, int v)
{
	self->sum += (long)v * v;
	self->calls++;
}
static void visit_alternate(struct visitor *self, int v)
{
	self->sum += (self->calls++ & 1) ? -v : v;
}
static NOINLINE void walk(const int *v, int n, struct visitor *vis)
{
	for (int i = 0; i < n; i++)
		vis->visit(vis, v[i]);
}

/* ---- tail calls and loops ---- */
static NOINLINE unsigned long gcd(unsigned long a, unsigned long b)
{
	return b == 0 ? a : gcd(b, a % b);
}

static NOINLINE long sum_to(long n, long acc)
{
	return n == 0 ? acc : sum_to(n - 1, acc + n);
}

static NOINLINE int find_first(const int *v, int n, int key)
{
	for (int i = 0; i < n; i++)
		if (v[i] == key)
			return i;
	return -1;
}

/* ---- many arguments: the ninth and later go on the stack ---- */
static NOINLINE long many_args(long a, int b, short c, signed char d, unsigned e, long f, long g,
                               long h, long i, int j, unsigned char k, long l)
{
	return a + 2 * b + 3 * c + 5 * d + 7 * (long)e + 11 * f + 13 * g + 17 * h + 19 * i +
	       23 * j + 29 * k + 31 * l;
}

/* ---- structs by value ---- */
struct point {
	int x, y;
};
struct big {
	long v[9];
	char tag[12];
};

static NOINLINE struct point padd(struct point a, struct point b)
{
	struct point r = {a.x + b.x, a.y + b.y};
	return r;
}

static NOINLINE struct big make_big(long seed)
{
	struct big b;
	for (int i = 0; i < 9; i++)
		b.v[i] = seed * (i + 1) - i;
	for (int i = 0; i < 11; i++)
		b.tag[i] = (char)('a' + (seed + i) % 26);
	b.tag[11] = 0;
	return b;
}

static NOINLINE long big_sum(struct big b)
{
	long s = 0;
	for (int i = 0; i < 9; i++)
		s += b.v[i];
	b.v[0] = 0; /* modifying the copy must not change the caller's */
	return s + b.tag[3];
}

/* ---- variable-length arrays ---- */
static NOINLINE long vla_work(int n)
{
	long tri[n][n];
	for (int i = 0; i < n; i++)
		for (int j = 0; j <= i; j++)
			tri[i][j] = (j == 0 || j == i) ? 1 : tri[i - 1][j - 1] + tri[i - 1][j];
	long s = 0;
	for (int j = 0; j < n; j++)
		s = s * 3 + tri[n - 1][j];
	return s;
}

int main(int argc, char **argv)
{
	uint64_t h = 0;
	int fails = 0;

	for (int i = -2; i < 18; i++)
		h = rt_mix(h, (uint64_t)dense_switch(i));
	static const long sv[] = {-1000000, -5, 7, 100, 1000, 65536, 1000000, 0x7fffffffL,
	                          0x100000000L, 3, -6, 999};
	for (unsigned i = 0; i < sizeof sv / sizeof sv[0]; i++)
		h = rt_mix(h, (uint64_t)sparse_switch(sv[i]));
	printf("switch: %016lx dense(13)=%d sparse(65536)=%d\n", (unsigned long)h, dense_switch(13),
	       sparse_switch(65536));
	int nums;
	int words = count_words_and_numbers("The 3 quick brown foxes jumped over 12 lazy dogs, "
	                                    "7 times in 2024 + 1 more\tTIME\n",
	                                    &nums);
	printf("words=%d numbers=%d\n", words, nums);

	static const unsigned char prog[] = {1, 1, 2, 4, 1, 3, 4, 5, 2, 2, 4, 5, 1, 0};
	printf("threaded: %ld %ld\n", threaded(prog, 0), threaded(prog, 12345));

	printf("fib(25)=%lu ackermann(2,3)=%lu ackermann(3,3)=%lu\n", (unsigned long)fib_rec(25),
	       ackermann(2, 3), ackermann(3, 3));
	printf("even(1001)=%d odd(777)=%d\n", is_even(1001), is_odd(777));
	unsigned long sig = 0;
	unsigned long moves = hanoi(12, 1, 3, 2, &sig);
	printf("hanoi(12): %lu moves, signature %016lx\n", moves, sig);
	int perm[7] = {1, 2, 3, 4, 5, 6, 7};
	uint64_t ph = 0;
	int pcount = 0;
	permute(perm, 0, 7, &ph, &pcount);
	printf("permutations of 7: %d, hash %016lx\n", pcount, (unsigned long)ph);
	for (unsigned n = 4; n <= 8; n++)
		printf("queens(%u)=%d ", n, queens(n, 0, 0, 0, 0));
	printf("\n");

	static const long v[] = {5, -3, 17, 2, -40, 8, 1000003, -7, 64, 12};
	for (int k = 0; k < 5; k++)
		printf("fold[%d] = %ld\n", k, fold(v, 10, choose(k), k == 2 ? 1 : 0));
	static const int iv[] = {3, -1, 4, -1, 5, -9, 2, 6, -5, 3, 5};
	struct visitor va = {visit_square, 0, 0}, vb = {visit_alternate, 0, 0};
	walk(iv, 11, &va);
	walk(iv, 11, &vb);
	printf("visitors: %ld/%d %ld/%d\n", va.sum, va.calls, vb.sum, vb.calls);

	printf("gcd=%lu sum_to=%ld find=%d,%d\n", gcd(1071UL * 1000003, 462UL * 1000003),
	       sum_to(2000, 0), find_first(iv, 11, 6), find_first(iv, 11, 42));
	printf("many_args=%ld\n", many_args(1, -2, 300, -4, 5000000000u & 0xffffffffu, 6, 7, 8, 9, -10, 250, 12));

	struct point p = {3, -4}, q = {100, 200};
	for (int i = 0; i < 10; i++)
		p = padd(p, q);
	struct big b = make_big(7), c;
	c = b; /* struct copy */
	long bs = big_sum(b);
	fails += b.v[0] != 7;
	fails += memcmp(&b, &c, sizeof b) != 0;
	printf("point=(%d,%d) big_sum=%ld tag=%s\n", p.x, p.y, bs, b.tag);
	printf("vla: %ld %ld\n", vla_work(10), vla_work(20));

	if (fails)
		printf("control: %d failures\n", fails);
	/* exit status: a value computed through the dispatch table */
	return (int)(fold(v, 3, choose(0), 0) & 0x7f) + fails; /* 5 - 3 + 17 = 19 */
}
