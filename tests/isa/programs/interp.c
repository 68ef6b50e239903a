/*
 * interp.c — a little language: a lexer, a one-pass recursive-descent
 * compiler to stack bytecode, and a switch-dispatched virtual machine with
 * calls, recursion, globals, locals and a memory array. The embedded script
 * computes primes, Fibonacci numbers, GCDs, Collatz lengths and a checksum,
 * then exits with 6 * 7 = 42, which becomes this program's exit code.
 * A few broken scripts check that errors are reported with line numbers.
 */
#include "rt/rt.h"

#define NOINLINE __attribute__((noinline))

enum tok {
	T_EOF, T_NUM, T_NAME, T_FN, T_VAR, T_IF, T_ELSE, T_WHILE, T_RETURN, T_PRINT, T_EXIT, T_MEM,
	T_LP, T_RP, T_LB, T_RB, T_LS, T_RS, T_COMMA, T_SEMI, T_ASSIGN, T_PLUS, T_MINUS, T_STAR,
	T_SLASH, T_PERCENT, T_NOT, T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_AND, T_OR, T_SHL, T_SHR,
	T_BAND, T_BOR, T_BXOR
};

enum op {
	OP_PUSH, OP_LOADL, OP_STOREL, OP_LOADG, OP_STOREG, OP_LOADM, OP_STOREM, OP_ADD, OP_SUB,
	OP_MUL, OP_DIV, OP_MOD, OP_NEG, OP_NOT, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_SHL,
	OP_SHR, OP_BAND, OP_BOR, OP_BXOR, OP_JMP, OP_JZ, OP_JNZ, OP_CALL, OP_RET, OP_PRINT, OP_EXIT,
	OP_POP, OP_DUP
};

#define MAXCODE 4096
#define MAXNAMES 64
#define MAXFN 16
#define MEMSIZE 2048
#define STACK 4096

struct fn {
	char name[16];
	int entry, nparams, nlocals;
};

struct compiler {
	const char *src, *p;
	int line;
	enum tok tok;
	int64_t num;
	char name[16];
	int64_t code[MAXCODE];
	int ncode;
	char globals[MAXNAMES][16];
	int nglobals;
	char locals[MAXNAMES][16];
	int nlocals, in_fn;
	struct fn fns[MAXFN];
	int nfns;
	int error;
	char errmsg[96];
};

static void fail(struct compiler *c, const char *what)
{
	if (!c->error) {
		c->error = 1;
		snprintf(c->errmsg, sizeof c->errmsg, "line %d: %s", c->line, what);
	}
	c->tok = T_EOF;
}

static int is_alpha(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_'; }
static int is_digit(char ch) { return ch >= '0' && ch <= '9'; }

static NOINLINE void next(struct compiler *c)
{
	if (c->error)
		return;
	for (;;) {
		while (*c->p == ' ' || *c->p == '\t' || *c->p == '\n') {
			if (*c->p == '\n')
				c->line++;
			c->p++;
		}
		if (*c->p == '#') {
			while (*c->p && *c->p != '\n')
				c->p++;
			continue;
		}
		break;
	}
	const char *p = c->p;
	if (!*p) {
		c->tok = T_EOF;
		return;
	}
	if (is_digit(*p)) {
		int64_t v = 0;
		while (is_digit(*p))
			v = v * 10 + (*p++ - '0');
		c->num = v;
		c->tok = T_NUM;
		c->p = p;
		return;
	}
	if (is_alpha(*p)) {
		int n = 0;
		while (is_alpha(*p) || is_digit(*p)) {
			if (n < 15)
				c->name[n++] = *p;
			p++;
		}
		c->name[n] = 0;
		c->p = p;
		static const struct {
			const char *w;
			enum tok t;
		} kw[] = {{"fn", T_FN},         {"var", T_VAR},     {"if", T_IF},       {"else", T_ELSE},
		          {"while", T_WHILE},   {"return", T_RETURN}, {"print", T_PRINT}, {"exit", T_EXIT},
		          {"mem", T_MEM}};
		c->tok = T_NAME;
		for (unsigned i = 0; i < sizeof kw / sizeof kw[0]; i++)
			if (strcmp(c->name, kw[i].w) == 0)
				c->tok = kw[i].t;
		return;
	}
	c->p = p + 1;
	switch (*p) {
	case '(': c->tok = T_LP; return;
	case ')': c->tok = T_RP; return;
	case '{': c->tok = T_LB; return;
	case '}': c->tok = T_RB; return;
	case '[': c->tok = T_LS; return;
	case ']': c->tok = T_RS; return;
	case ',': c->tok = T_COMMA; return;
	case ';': c->tok = T_SEMI; return;
	case '+': c->tok = T_PLUS; return;
	case '-': c->tok = T_MINUS; return;
	case '*': c->tok = T_STAR; return;
	case '/': c->tok = T_SLASH; return;
	case '%': c->tok = T_PERCENT; return;
	case '^': c->tok = T_BXOR; return;
	case '=':
		if (p[1] == '=') { c->p++; c->tok = T_EQ; } else c->tok = T_ASSIGN;
		return;
	case '!':
		if (p[1] == '=') { c->p++; c->tok = T_NE; } else c->tok = T_NOT;
		return;
	case '<':
		if (p[1] == '=') { c->p++; c->tok = T_LE; }
		else if (p[1] == '<') { c->p++; c->tok = T_SHL; }
		else c->tok = T_LT;
		return;
	case '>':
		if (p[1] == '=') { c->p++; c->tok = T_GE; }
		else if (p[1] == '>') { c->p++; c->tok = T_SHR; }
		else c->tok = T_GT;
		return;
	case '&':
		if (p[1] == '&') { c->p++; c->tok = T_AND; } else c->tok = T_BAND;
		return;
	case '|':
		if (p[1] == '|') { c->p++; c->tok = T_OR; } else c->tok = T_BOR;
		return;
	default:
		fail(c, "unexpected character");
	}
}

static void emit(struct compiler *c, int64_t v)
{
	if (c->ncode >= MAXCODE) {
		fail(c, "program too long");
		return;
	}
	c->code[c->ncode++] = v;
}

static void expect(struct compiler *c, enum tok t, const char *what)
{
	if (c->tok != t)
		fail(c, what);
	else
		next(c);
}

static int find(char names[][16], int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

static void expr(struct compiler *c);

static void primary(struct compiler *c)
{
	if (c->tok == T_NUM) {
		emit(c, OP_PUSH);
		emit(c, c->num);
		next(c);
	} else if (c->tok == T_LP) {
		next(c);
		expr(c);
		expect(c, T_RP, "expected )");
	} else if (c->tok == T_MEM) {
		next(c);
		expect(c, T_LS, "expected [");
		expr(c);
		expect(c, T_RS, "expected ]");
		emit(c, OP_LOADM);
	} else if (c->tok == T_NAME) {
		char name[16];
		strcpy(name, c->name);
		next(c);
		if (c->tok == T_LP) {
			int f = -1;
			for (int i = 0; i < c->nfns; i++)
				if (strcmp(c->fns[i].name, name) == 0)
					f = i;
			if (f < 0) {
				fail(c, "unknown function");
				return;
			}
			next(c);
			int nargs = 0;
			while (c->tok != T_RP && c->tok != T_EOF) {
				expr(c);
				nargs++;
				if (c->tok == T_COMMA)
					next(c);
			}
			expect(c, T_RP, "expected ) after arguments");
			if (nargs != c->fns[f].nparams)
				fail(c, "wrong number of arguments");
			emit(c, OP_CALL);
			emit(c, f);
			return;
		}
		int slot = c->in_fn ? find(c->locals, c->nlocals, name) : -1;
		if (slot >= 0) {
			emit(c, OP_LOADL);
			emit(c, slot);
		} else if ((slot = find(c->globals, c->nglobals, name)) >= 0) {
			emit(c, OP_LOADG);
			emit(c, slot);
		} else
			fail(c, "unknown variable");
	} else
		fail(c, "expected an expression");
}

static void unary(struct compiler *c)
{
	if (c->tok == T_MINUS) {
		next(c);
		unary(c);
		emit(c, OP_NEG);
	} else if (c->tok == T_NOT) {
		next(c);
		unary(c);
		emit(c, OP_NOT);
	} else
		primary(c);
}

/* binary operators by precedence level, lowest first */
static const struct {
	enum tok t;
	enum op o;
	int level;
} binops[] = {
	{T_BOR, OP_BOR, 0},   {T_BXOR, OP_BXOR, 1}, {T_BAND, OP_BAND, 2}, {T_EQ, OP_EQ, 3},
	{T_NE, OP_NE, 3},     {T_LT, OP_LT, 4},     {T_LE, OP_LE, 4},     {T_GT, OP_GT, 4},
	{T_GE, OP_GE, 4},     {T_SHL, OP_SHL, 5},   {T_SHR, OP_SHR, 5},   {T_PLUS, OP_ADD, 6},
	{T_MINUS, OP_SUB, 6}, {T_STAR, OP_MUL, 7},  {T_SLASH, OP_DIV, 7}, {T_PERCENT, OP_MOD, 7},
};

static void binary(struct compiler *c, int level)
{
	if (level > 7) {
		unary(c);
		return;
	}
	binary(c, level + 1);
	for (;;) {
		int found = -1;
		for (unsigned i = 0; i < sizeof binops / sizeof binops[0]; i++)
			if (binops[i].level == level && binops[i].t == c->tok)
				found = (int)i;
		if (found < 0)
			return;
		next(c);
		binary(c, level + 1);
		emit(c, binops[found].o);
	}
}

/* && and || short-circuit: leave 0/1 on the stack */
static void logic_and(struct compiler *c)
{
	binary(c, 0);
	while (c->tok == T_AND) {
		next(c);
		emit(c, OP_NOT);
		emit(c, OP_NOT);
		emit(c, OP_DUP);
		emit(c, OP_JZ);
		int patch = c->ncode;
		emit(c, 0);
		emit(c, OP_POP);
		binary(c, 0);
		emit(c, OP_NOT);
		emit(c, OP_NOT);
		c->code[patch] = c->ncode;
	}
}

static void expr(struct compiler *c)
{
	logic_and(c);
	while (c->tok == T_OR) {
		next(c);
		emit(c, OP_NOT);
		emit(c, OP_NOT);
		emit(c, OP_DUP);
		emit(c, OP_JNZ);
		int patch = c->ncode;
		emit(c, 0);
		emit(c, OP_POP);
		logic_and(c);
		emit(c, OP_NOT);
		emit(c, OP_NOT);
		c->code[patch] = c->ncode;
	}
}

static void block(struct compiler *c);

static void statement(struct compiler *c)
{
	switch (c->tok) {
	case T_FN: {
		if (c->in_fn) {
			fail(c, "nested function");
			return;
		}
		next(c);
		if (c->tok != T_NAME || c->nfns == MAXFN) {
			fail(c, "expected function name");
			return;
		}
		struct fn *f = &c->fns[c->nfns++];
		strcpy(f->name, c->name);
		next(c);
		emit(c, OP_JMP);
		int skip = c->ncode;
		emit(c, 0);
		f->entry = c->ncode;
		c->in_fn = 1;
		c->nlocals = 0;
		expect(c, T_LP, "expected (");
		while (c->tok == T_NAME) {
			strcpy(c->locals[c->nlocals++], c->name);
			next(c);
			if (c->tok == T_COMMA)
				next(c);
		}
		f->nparams = c->nlocals;
		expect(c, T_RP, "expected ) after parameters");
		block(c);
		emit(c, OP_PUSH);
		emit(c, 0);
		emit(c, OP_RET);
		f->nlocals = c->nlocals;
		c->in_fn = 0;
		c->code[skip] = c->ncode;
		return;
	}
	case T_VAR: {
		next(c);
		if (c->tok != T_NAME) {
			fail(c, "expected variable name");
			return;
		}
		char name[16];
		strcpy(name, c->name);
		next(c);
		expect(c, T_ASSIGN, "expected =");
		expr(c);
		expect(c, T_SEMI, "expected ;");
		if (c->in_fn) {
			int slot = find(c->locals, c->nlocals, name);
			if (slot < 0) {
				slot = c->nlocals++;
				strcpy(c->locals[slot], name);
			}
			emit(c, OP_STOREL);
			emit(c, slot);
		} else {
			int slot = find(c->globals, c->nglobals, name);
			if (slot < 0) {
				slot = c->nglobals++;
				strcpy(c->globals[slot], name);
			}
			emit(c, OP_STOREG);
			emit(c, slot);
		}
		return;
	}
	case T_IF: {
		next(c);
		expect(c, T_LP, "expected (");
		expr(c);
		expect(c, T_RP, "expected )");
		emit(c, OP_JZ);
		int patch = c->ncode;
		emit(c, 0);
		block(c);
		if (c->tok == T_ELSE) {
			next(c);
			emit(c, OP_JMP);
			int patch2 = c->ncode;
			emit(c, 0);
			c->code[patch] = c->ncode;
			if (c->tok == T_IF)
				statement(c);
			else
				block(c);
			c->code[patch2] = c->ncode;
		} else
			c->code[patch] = c->ncode;
		return;
	}
	case T_WHILE: {
		next(c);
		int top = c->ncode;
		expect(c, T_LP, "expected (");
		expr(c);
		expect(c, T_RP, "expected )");
		emit(c, OP_JZ);
		int patch = c->ncode;
		emit(c, 0);
		block(c);
		emit(c, OP_JMP);
		emit(c, top);
		c->code[patch] = c->ncode;
		return;
	}
	case T_RETURN:
		next(c);
		if (!c->in_fn)
			fail(c, "return outside a function");
		expr(c);
		emit(c, OP_RET);
		expect(c, T_SEMI, "expected ;");
		return;
	case T_PRINT: {
		next(c);
		int n = 0;
		for (;;) {
			expr(c);
			n++;
			if (c->tok != T_COMMA)
				break;
			next(c);
		}
		emit(c, OP_PRINT);
		emit(c, n);
		expect(c, T_SEMI, "expected ;");
		return;
	}
	case T_EXIT:
		next(c);
		expr(c);
		emit(c, OP_EXIT);
		expect(c, T_SEMI, "expected ;");
		return;
	case T_MEM:
		next(c);
		expect(c, T_LS, "expected [");
		expr(c);
		expect(c, T_RS, "expected ]");
		expect(c, T_ASSIGN, "expected =");
		expr(c);
		emit(c, OP_STOREM);
		expect(c, T_SEMI, "expected ;");
		return;
	case T_NAME: {
		/* assignment or expression statement */
		const char *save_p = c->p;
		int save_line = c->line;
		char name[16];
		strcpy(name, c->name);
		next(c);
		if (c->tok == T_ASSIGN) {
			next(c);
			expr(c);
			expect(c, T_SEMI, "expected ;");
			int slot = c->in_fn ? find(c->locals, c->nlocals, name) : -1;
			if (slot >= 0) {
				emit(c, OP_STOREL);
				emit(c, slot);
			} else if ((slot = find(c->globals, c->nglobals, name)) >= 0) {
				emit(c, OP_STOREG);
				emit(c, slot);
			} else
				fail(c, "assignment to unknown variable");
			return;
		}
		/* rewind and parse as an expression */
		c->p = save_p - strlen(name);
		c->line = save_line;
		next(c);
		expr(c);
		emit(c, OP_POP);
		expect(c, T_SEMI, "expected ;");
		return;
	}
	default:
		expr(c);
		emit(c, OP_POP);
		expect(c, T_SEMI, "expected ;");
	}
}

static void block(struct compiler *c)
{
	expect(c, T_LB, "expected {");
	while (c->tok != T_RB && c->tok != T_EOF)
		statement(c);
	expect(c, T_RB, "expected }");
}

static NOINLINE int compile(struct compiler *c, const char *src)
{
	memset(c, 0, sizeof *c);
	c->src = c->p = src;
	c->line = 1;
	next(c);
	while (c->tok != T_EOF)
		statement(c);
	emit(c, OP_PUSH);
	emit(c, 0);
	emit(c, OP_EXIT);
	return !c->error;
}

/* ---- the virtual machine ---- */
struct vm {
	int64_t stack[STACK];
	int64_t globals[MAXNAMES];
	int64_t mem[MEMSIZE];
	uint64_t steps, calls;
	int max_depth;
};

#define RUNTIME_ERROR(msg)                                                                   \
	do {                                                                                     \
		printf("runtime error at %d: %s\n", pc, msg);                                        \
		return -1;                                                                           \
	} while (0)

static NOINLINE int64_t run(const struct compiler *c, struct vm *m)
{
	int pc = 0, sp = 0, bp = 0, depth = 0, nloc = 0;
	int64_t *s = m->stack;
	const int64_t *code = c->code;
	for (;;) {
		m->steps++;
		if (sp > STACK - 64)
			RUNTIME_ERROR("stack overflow");
		int64_t op = code[pc++];
		switch (op) {
		case OP_PUSH: s[sp++] = code[pc++]; break;
		case OP_LOADL: s[sp++] = s[bp + code[pc++]]; break;
		case OP_STOREL: s[bp + code[pc++]] = s[--sp]; break;
		case OP_LOADG: s[sp++] = m->globals[code[pc++]]; break;
		case OP_STOREG: m->globals[code[pc++]] = s[--sp]; break;
		case OP_LOADM: {
			int64_t i = s[sp - 1];
			if (i < 0 || i >= MEMSIZE)
				RUNTIME_ERROR("memory index out of range");
			s[sp - 1] = m->mem[i];
			break;
		}
		case OP_STOREM: {
			int64_t v = s[--sp], i = s[--sp];
			if (i < 0 || i >= MEMSIZE)
				RUNTIME_ERROR("memory index out of range");
			m->mem[i] = v;
			break;
		}
#define BIN(OPC, EXPR)                                                                       \
	case OPC: {                                                                              \
		int64_t b = s[--sp], a = s[sp - 1];                                                  \
		s[sp - 1] = (EXPR);                                                                  \
		break;                                                                               \
	}
		BIN(OP_ADD, (int64_t)((uint64_t)a + (uint64_t)b))
		BIN(OP_SUB, (int64_t)((uint64_t)a - (uint64_t)b))
		BIN(OP_MUL, (int64_t)((uint64_t)a * (uint64_t)b))
		BIN(OP_EQ, a == b)
		BIN(OP_NE, a != b)
		BIN(OP_LT, a < b)
		BIN(OP_LE, a <= b)
		BIN(OP_GT, a > b)
		BIN(OP_GE, a >= b)
		BIN(OP_SHL, (int64_t)((uint64_t)a << (b & 63)))
		BIN(OP_SHR, a >> (b & 63))
		BIN(OP_BAND, a & b)
		BIN(OP_BOR, a | b)
		BIN(OP_BXOR, a ^ b)
#undef BIN
		case OP_DIV:
		case OP_MOD: {
			int64_t b = s[--sp], a = s[sp - 1];
			if (b == 0)
				RUNTIME_ERROR("division by zero");
			if (b == -1)
				s[sp - 1] = op == OP_DIV ? (int64_t)(0 - (uint64_t)a) : 0;
			else
				s[sp - 1] = op == OP_DIV ? a / b : a % b;
			break;
		}
		case OP_NEG: s[sp - 1] = (int64_t)(0 - (uint64_t)s[sp - 1]); break;
		case OP_NOT: s[sp - 1] = !s[sp - 1]; break;
		case OP_JMP: pc = (int)code[pc]; break;
		case OP_JZ: pc = s[--sp] ? pc + 1 : (int)code[pc]; break;
		case OP_JNZ: pc = s[--sp] ? (int)code[pc] : pc + 1; break;
		case OP_DUP: s[sp] = s[sp - 1]; sp++; break;
		case OP_POP: sp--; break;
		case OP_CALL: {
			/* frame: args and locals from bp, then saved pc, bp, local count */
			const struct fn *f = &c->fns[code[pc++]];
			int newbp = sp - f->nparams;
			for (int i = f->nparams; i < f->nlocals; i++)
				s[sp++] = 0;
			s[sp++] = pc;
			s[sp++] = bp;
			s[sp++] = nloc;
			bp = newbp;
			nloc = f->nlocals;
			pc = f->entry;
			m->calls++;
			if (++depth > m->max_depth)
				m->max_depth = depth;
			break;
		}
		case OP_RET: {
			int64_t v = s[--sp];
			int frame = bp + nloc;
			pc = (int)s[frame];
			sp = bp;
			bp = (int)s[frame + 1];
			nloc = (int)s[frame + 2];
			s[sp++] = v;
			depth--;
			break;
		}
		case OP_PRINT: {
			int n = (int)code[pc++];
			for (int i = 0; i < n; i++)
				printf(i ? " %ld" : "%ld", (long)s[sp - n + i]);
			printf("\n");
			sp -= n;
			break;
		}
		case OP_EXIT: return s[--sp];
		default: RUNTIME_ERROR("bad opcode");
		}
	}
}

static const char script[] =
	"# the corpus script\n"
	"var limit = 2000;\n"
	"fn sieve(n) {\n"
	"  var i = 2; var count = 0;\n"
	"  while (i < n) { mem[i] = 0; i = i + 1; }\n"
	"  i = 2;\n"
	"  while (i < n) {\n"
	"    if (mem[i] == 0) {\n"
	"      count = count + 1;\n"
	"      var j = i * i;\n"
	"      while (j < n) { mem[j] = 1; j = j + i; }\n"
	"    }\n"
	"    i = i + 1;\n"
	"  }\n"
	"  return count;\n"
	"}\n"
	"fn fib(k) { if (k < 2) { return k; } return fib(k - 1) + fib(k - 2); }\n"
	"fn gcd(a, b) { while (b != 0) { var t = a % b; a = b; b = t; } return a; }\n"
	"fn collatz(n) {\n"
	"  var steps = 0;\n"
	"  while (n != 1) {\n"
	"    if (n % 2 == 0) { n = n / 2; } else { n = 3 * n + 1; }\n"
	"    steps = steps + 1;\n"
	"  }\n"
	"  return steps;\n"
	"}\n"
	"fn pow(b, e) { var r = 1; while (e > 0) { if (e & 1) { r = r * b; } b = b * b; e = e >> 1; } return r; }\n"
	"fn classify(x) {\n"
	"  if (x < 0) { return -1; } else if (x == 0) { return 0; } else if (x < 10 || x > 1000) { return 1; }\n"
	"  return 2;\n"
	"}\n"
	"print sieve(limit), sieve(100);\n"
	"print fib(20), fib(1), fib(0);\n"
	"print gcd(1071, 462), gcd(17, 5), gcd(0, 9);\n"
	"var best = 0; var arg = 0; var n = 1;\n"
	"while (n < 300) { var c = collatz(n); if (c > best) { best = c; arg = n; } n = n + 1; }\n"
	"print arg, best;\n"
	"print pow(3, 20), pow(2, 62), pow(2, 64), -pow(7, 5) / 3, -pow(7, 5) % 3;\n"
	"print classify(-5), classify(0), classify(5), classify(50), classify(5000);\n"
	"print 1 && 0, 1 && 2, 0 || 0, 0 || 3, !7, !0, 5 ^ 3, 5 | 3, 5 & 3, 1 << 40, -64 >> 3;\n"
	"var sum = 0; n = 0;\n"
	"while (n < 100) { sum = sum + n * n * n - (n ^ 21) + (n % 7) * (n / 7); n = n + 1; }\n"
	"print sum;\n"
	"fn answer() { return 6 * 7; }\n"
	"exit answer();\n";

static const char *const broken[] = {
	"var x = 1;\nprint x + ;\n",
	"fn f(a) { return a; }\nprint f(1, 2);\n",
	"var y = 3;\n\n\nwhile (y { y = y - 1; }\n",
	"print z;\n",
	"var q = 5 $ 3;\n",
};

static struct compiler comp;
static struct vm machine;

int main(int argc, char **argv)
{
	if (!compile(&comp, script)) {
		printf("compile error: %s\n", comp.errmsg);
		return 2;
	}
	printf("compiled: %d words of bytecode, %d functions, %d globals\n", comp.ncode, comp.nfns,
	       comp.nglobals);
	uint64_t h = 0;
	for (int i = 0; i < comp.ncode; i++)
		h = rt_mix(h, (uint64_t)comp.code[i]);
	printf("bytecode hash: %016lx\n", (unsigned long)h);
	int64_t code = run(&comp, &machine);
	printf("vm: %lu steps, %lu calls, max depth %d, exit %ld\n", (unsigned long)machine.steps,
	       (unsigned long)machine.calls, machine.max_depth, (long)code);

	for (unsigned i = 0; i < sizeof broken / sizeof broken[0]; i++) {
		static struct compiler bc;
		if (compile(&bc, broken[i]))
			printf("broken script %u compiled?!\n", i);
		else
			printf("broken script %u: %s\n", i, bc.errmsg);
	}
	return (int)code;
}
