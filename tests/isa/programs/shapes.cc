// shapes.cc — C++ as GCC compiles it without exceptions or RTTI: virtual
// calls through vtables of function descriptors, virtual destructors with
// new/delete, multiple inheritance with this-adjusting thunks, virtual
// inheritance, pointers to member functions (virtual and not), templates,
// operator overloading, global constructors (run from .init_array) and
// destructors (__cxa_atexit), and function-local statics with guards.
#include "rt/rt.h"

#define NOINLINE __attribute__((noinline))

static int g_live_objects;
static uint64_t g_trace;
static void trace(uint64_t v) { g_trace = rt_mix(g_trace, v); }

// ---- a classic shape hierarchy, all-integer geometry (milli-units) ----
class Shape {
public:
	explicit Shape(int id) : id_(id) { g_live_objects++; }
	virtual ~Shape() { g_live_objects--; trace(1000 + (uint64_t)id_); }
	virtual long area() const = 0;
	virtual long perimeter() const = 0;
	virtual const char *name() const { return "shape"; }
	virtual int corners() const { return 0; }
	int id() const { return id_; }

private:
	int id_;
};

class Rect : public Shape {
public:
	Rect(int id, long w, long h) : Shape(id), w_(w), h_(h) {}
	long area() const override { return w_ * h_; }
	long perimeter() const override { return 2 * (w_ + h_); }
	const char *name() const override { return "rect"; }
	int corners() const override { return 4; }

protected:
	long w_, h_;
};

class Square final : public Rect {
public:
	Square(int id, long s) : Rect(id, s, s) {}
	const char *name() const override { return "square"; }
};

class Circle : public Shape {
public:
	Circle(int id, long r) : Shape(id), r_(r) {}
	long area() const override { return r_ * r_ * 355 / 113; }
	long perimeter() const override { return 2 * r_ * 355 / 113; }
	const char *name() const override { return "circle"; }

private:
	long r_;
};

class Triangle : public Shape {
public:
	Triangle(int id, long a, long b, long c) : Shape(id), a_(a), b_(b), c_(c) {}
	long area() const override
	{ // Heron's formula with an integer square root
		long s2 = a_ + b_ + c_;
		long x = s2 * (s2 - 2 * a_) * (s2 - 2 * b_) * (s2 - 2 * c_);
		return isqrt(x) / 4;
	}
	long perimeter() const override { return a_ + b_ + c_; }
	const char *name() const override { return "triangle"; }
	int corners() const override { return 3; }

	static long isqrt(long x)
	{
		if (x <= 0)
			return 0;
		long r = x, y = (r + 1) / 2;
		while (y < r) {
			r = y;
			y = (r + x / r) / 2;
		}
		return r;
	}

private:
	long a_, b_, c_;
};

// ---- multiple inheritance: calls through the second base need thunks ----
class Printable {
public:
	virtual ~Printable() {}
	virtual int label(char *buf, int n) const = 0;
	long printed = 0;
};

class Serial {
public:
	virtual ~Serial() {}
	virtual uint64_t checksum() const = 0;
	virtual void bump(int k) = 0;
};

class Widget : public Shape, public Printable, public Serial {
public:
	Widget(int id, long w) : Shape(id), w_(w) {}
	long area() const override { return w_ * 3; }
	long perimeter() const override { return w_ + 17; }
	const char *name() const override { return "widget"; }
	int label(char *buf, int n) const override { return snprintf(buf, (size_t)n, "W%d:%ld", id(), w_); }
	uint64_t checksum() const override { return rt_mix((uint64_t)id(), (uint64_t)w_); }
	void bump(int k) override { w_ += k; }

private:
	long w_;
};

// ---- virtual inheritance (diamond) ----
struct Base {
	virtual ~Base() {}
	virtual int who() const { return 1; }
	int base_value = 10;
};
struct Left : virtual Base {
	int who() const override { return 2; }
	int left = 20;
};
struct Right : virtual Base {
	int right = 30;
};
struct Diamond : Left, Right {
	int who() const override { return 4 + base_value; }
};

static NOINLINE int via_right(Right *r) { return r->who() + r->base_value + r->right; }
static NOINLINE int via_left(Left *l) { return l->who() + l->base_value + l->left; }

// ---- templates and operator overloading ----
template <typename T, int N>
class Vec {
public:
	Vec() { for (int i = 0; i < N; i++) v_[i] = T(); }
	T &operator[](int i) { return v_[i]; }
	const T &operator[](int i) const { return v_[i]; }
	Vec operator+(const Vec &o) const
	{
		Vec r;
		for (int i = 0; i < N; i++)
			r.v_[i] = v_[i] + o.v_[i];
		return r;
	}
	T dot(const Vec &o) const
	{
		T s = T();
		for (int i = 0; i < N; i++)
			s = s + v_[i] * o.v_[i];
		return s;
	}

private:
	T v_[N];
};

class Fixed { // 48.16 fixed point
public:
	constexpr Fixed() : raw_(0) {}
	static Fixed from_int(long v) { Fixed f; f.raw_ = v * 65536; return f; }
	static Fixed from_raw(long r) { Fixed f; f.raw_ = r; return f; }
	Fixed operator+(Fixed o) const { return from_raw(raw_ + o.raw_); }
	Fixed operator-(Fixed o) const { return from_raw(raw_ - o.raw_); }
	Fixed operator*(Fixed o) const { return from_raw((long)(((__int128)raw_ * o.raw_) >> 16)); }
	Fixed operator/(Fixed o) const { return from_raw((long)(((__int128)raw_ << 16) / o.raw_)); }
	bool operator<(Fixed o) const { return raw_ < o.raw_; }
	long raw() const { return raw_; }
	long whole() const { return raw_ >> 16; }
	long frac_millis() const { return ((raw_ & 0xffff) * 1000) >> 16; }

private:
	long raw_;
};

template <typename T>
static NOINLINE void insertion_sort(T *a, int n, bool (*less)(const T &, const T &))
{
	for (int i = 1; i < n; i++) {
		T x = a[i];
		int j = i - 1;
		while (j >= 0 && less(x, a[j])) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = x;
	}
}

static bool by_area(Shape *const &a, Shape *const &b)
{
	return a->area() < b->area() || (a->area() == b->area() && a->id() < b->id());
}

template <typename T>
static T maximum(T a, T b) { return a < b ? b : a; }

// ---- global objects with constructors and destructors ----
struct Registry {
	Registry() : count(7), magic(0x5ca1ab1e) { trace(42); }
	~Registry()
	{
		// runs from exit(): print the final trace so destructor order is checked
		printf("registry destroyed: count=%d trace=%016lx live=%d\n", count,
		       (unsigned long)g_trace, g_live_objects);
	}
	int count;
	unsigned magic;
};
static Registry g_registry;

static NOINLINE int counter()
{
	static int calls = 100 + g_registry.count; // guarded local static
	return ++calls;
}

// ---- pointers to member functions ----
typedef long (Shape::*ShapeMetric)() const;

int main(int argc, char **argv)
{
	printf("shapes: registry magic %x count %d\n", g_registry.magic, g_registry.count);

	Shape *shapes[8];
	shapes[0] = new Rect(1, 30, 40);
	shapes[1] = new Square(2, 25);
	shapes[2] = new Circle(3, 10);
	shapes[3] = new Triangle(4, 3000, 4000, 5000);
	shapes[4] = new Widget(5, 77);
	shapes[5] = new Circle(6, 3);
	shapes[6] = new Triangle(7, 13, 14, 15);
	shapes[7] = new Square(8, 1);
	printf("live objects: %d\n", g_live_objects);

	long total_area = 0, total_perim = 0;
	int total_corners = 0;
	for (Shape *s : shapes) {
		printf("  %-8s #%d area=%ld perimeter=%ld corners=%d\n", s->name(), s->id(), s->area(),
		       s->perimeter(), s->corners());
		total_area += s->area();
		total_perim += s->perimeter();
		total_corners += s->corners();
	}
	printf("totals: area=%ld perimeter=%ld corners=%d\n", total_area, total_perim, total_corners);

	insertion_sort<Shape *>(shapes, 8, by_area);
	printf("by area:");
	for (Shape *s : shapes)
		printf(" %d", s->id());
	printf("\n");

	ShapeMetric metrics[2] = {&Shape::area, &Shape::perimeter};
	long msum = 0;
	for (Shape *s : shapes)
		for (ShapeMetric m : metrics)
			msum += (s->*m)();
	printf("member pointers: %ld\n", msum);

	Widget *w = nullptr;
	for (Shape *s : shapes)
		if (s->id() == 5)
			w = static_cast<Widget *>(s);
	Printable *p = w;
	Serial *ser = w;
	char buf[32];
	p->label(buf, sizeof buf);
	ser->bump(23);
	p->label(buf + 16, 16);
	printf("widget: %s -> %s checksum %016lx (Printable at +%ld, Serial at +%ld)\n", buf, buf + 16,
	       (unsigned long)ser->checksum(), (long)((char *)p - (char *)w),
	       (long)((char *)ser - (char *)w));

	Diamond d;
	printf("diamond: who=%d via_left=%d via_right=%d\n", d.who(), via_left(&d), via_right(&d));
	Base *bp = &d;
	bp->base_value = 50;
	printf("diamond after: via_left=%d via_right=%d\n", via_left(&d), via_right(&d));

	Vec<long, 4> a, b;
	for (int i = 0; i < 4; i++) {
		a[i] = i + 1;
		b[i] = 10 * (i + 1) - 3;
	}
	Vec<long, 4> c = a + b;
	printf("vec: c=(%ld,%ld,%ld,%ld) a.b=%ld\n", c[0], c[1], c[2], c[3], a.dot(b));
	Vec<Fixed, 3> fa, fb;
	for (int i = 0; i < 3; i++) {
		fa[i] = Fixed::from_int(i + 2) / Fixed::from_int(3);
		fb[i] = Fixed::from_int(7 - i) * Fixed::from_raw(0x18000); // * 1.5
	}
	Fixed fd = fa.dot(fb);
	printf("fixed: dot=%ld.%03ld raw=%lx max=%ld\n", fd.whole(), fd.frac_millis(),
	       (unsigned long)fd.raw(), maximum(fa[0], fb[2]).whole());
	printf("maximum<int>=%d maximum<unsigned long>=%lu\n", maximum(-3, -9), maximum(3UL, 9UL));

	for (int i = 0; i < 3; i++)
		trace((uint64_t)counter());
	printf("counter=%d\n", counter());

	for (Shape *s : shapes)
		delete s; // virtual destructors, sized delete
	printf("live objects after delete: %d\n", g_live_objects);
	return g_live_objects;
}
