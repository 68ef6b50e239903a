// The embedded symbol table: functions are found by name (their ELFv1
// descriptor, whose first doubleword is the code entry) and by any address
// inside their code; data objects by name with their size.
#include "kernel/ksym.h"
#include "kernel/ktest.h"
#include "kernel/percpu.h"
#include "kernel/string.h"

extern "C" __attribute__((noinline)) uval symbols_test_probe(uval x) {
  asm volatile("" ::: "memory");
  return x * 3 + 1;
}

KTEST(symbols, "1") {
  KREQUIRE(ksym::present(), "no embedded symbol table");
  KEXPECT(ksym::count() > 100, "only %lu symbols", ksym::count());
  ksym::Symbol d;
  KREQUIRE(ksym::lookup("symbols_test_probe", &d), "symbols_test_probe not found by name");
  KEXPECT(d.kind == ksym::kDescriptor, "a function's name resolves to kind %u, not its descriptor", d.kind);
  KEXPECT(d.addr == uval(&symbols_test_probe), "descriptor at 0x%lx, the function pointer is %p", d.addr,
          reinterpret_cast<void*>(&symbols_test_probe));
  uval entry = *reinterpret_cast<const uval*>(d.addr);
  ksym::Symbol c;
  uval off = 1;
  KREQUIRE(ksym::find(entry, &c, &off), "the code entry 0x%lx is in no symbol", entry);
  KEXPECT(strcmp(c.name, "symbols_test_probe") == 0 && off == 0, "entry 0x%lx found as %s+0x%lx", entry, c.name, off);
  KEXPECT(c.kind == ksym::kCode && c.size >= 8, "code symbol kind %u size %lu", c.kind, c.size);
  KEXPECT(ksym::find(entry + 4, &c, &off) && off == 4, "an address inside the function is not found at +4");
  ksym::Symbol g;
  KREQUIRE(ksym::lookup("g_percpu", &g), "g_percpu not found");
  KEXPECT(g.kind == ksym::kData && g.addr == uval(g_percpu) && g.size == sizeof(g_percpu),
          "g_percpu: kind %u addr 0x%lx size %lu", g.kind, g.addr, g.size);
  KEXPECT(!ksym::lookup("no_such_symbol_anywhere", &g), "a missing name was found");
  KEXPECT(symbols_test_probe(1) == 4, "probe");
}
