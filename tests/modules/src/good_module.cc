// The good module: what an update module does, in miniature. Its init returns
// 4242 + *arg when every check inside passed, or -N naming the first failing
// check. The test image checks the return value and the kernel-side effects.
//
// It exercises: calls into the kernel (TOC-switching stubs, r2 restored after
// each), calls inside the module, classes with virtual functions (vtables of
// descriptors), operator new/delete from the kernel, string literals, .data,
// .bss, const data with relocations, the module's TOC, function pointers to
// kernel functions (descriptor addresses), data references to kernel objects
// (ADDR64), a kernel calling back into the module through a descriptor, a
// static constructor (.init_array, with priorities) and a static object with
// a destructor (__cxa_atexit with the module's __dso_handle).
#include "test_kernel.h"

typedef unsigned long size_t;
void* operator new(size_t);
void operator delete(void*, size_t) noexcept;

namespace {

struct Shape {
  virtual long area() const = 0;
  virtual long sides() const { return 0; }
  virtual ~Shape() {}
};
struct Square : Shape {
  long s;
  explicit Square(long s) : s(s) {}
  long area() const override { return s * s; }
  long sides() const override { return 4; }
};
struct Rect : Shape {
  long w, h;
  Rect(long w, long h) : w(w), h(h) {}
  long area() const override { return w * h; }
  long sides() const override { return 4; }
};
struct Triangle : Shape {
  long b, h;
  Triangle(long b, long h) : b(b), h(h) {}
  long area() const override { return b * h / 2; }
  long sides() const override { return 3; }
};

__attribute__((noinline)) long triple_plus_one(long x) { return 3 * x + 1; }
long times_ten(long x) { return x * 10; }

struct Registered {
  long v;
  Registered() { v = kernel_add(40, 2); }
};
Registered registered;

struct Early {
  long order;
  Early();
};
long construction_order;
Early::Early() { order = ++construction_order; }
__attribute__((init_priority(200))) Early early;  // runs before `registered`

struct WithDestructor {
  long live = 1;
  ~WithDestructor() { live = 0; }
};
WithDestructor with_destructor;

long zeroed[16];
long module_data = 5;
const char greeting[] = "hello from the good module";
long (*const adders[])(long, long) = {kernel_add};
long* const counter_ptr = &kernel_counter;
const long* const table_ptr = &kernel_table[1];

}  // namespace

__attribute__((noinline)) long total_area(Shape* const* s, int n) {
  long sum = 0;
  for (int i = 0; i < n; ++i) sum += s[i]->area();
  return sum;
}

__attribute__((noinline)) long total_sides(Shape* const* s, int n) {
  long sum = 0;
  for (int i = 0; i < n; ++i) sum += s[i]->sides();
  return sum;
}

extern "C" long dusim_module_init(void* arg) {
  if (registered.v != 42) return -1;                    // constructor ran, called the kernel
  if (early.order != 1) return -2;                      // in priority order
  if (with_destructor.live != 1) return -3;
  kernel_print(greeting);
  Square sq(3);
  Rect r(2, 5);
  Triangle t(4, 3);
  Shape* shapes[] = {&sq, &r, &t};
  if (total_area(shapes, 3) != 9 + 10 + 6) return -4;   // virtual calls through vtables
  if (total_sides(shapes, 3) != 11) return -5;
  Shape* heap = new Triangle(10, 7);                    // operator new from the kernel
  if (heap->area() != 35) return -6;
  delete heap;                                          // deleting destructor, operator delete
  if (triple_plus_one(module_data) != 16) return -7;    // local call, .data
  for (long z : zeroed)
    if (z) return -8;                                   // .bss is zero
  zeroed[3] = 1;
  if (adders[0](20, 22) != 42) return -9;               // function pointer to a kernel function
  *counter_ptr += 100;                                  // ADDR64 to a kernel object
  kernel_counter += 1;                                  // through the module's TOC
  if (kernel_call_back(times_ten, 7) != 70) return -10; // the kernel calls the module's descriptor
  if (*table_ptr != 20 || kernel_table[3] != 40) return -11;
  module_data = 6;                                      // a second instance keeps its own copy
  return 4242 + (arg ? *static_cast<long*>(arg) : 0);
}
