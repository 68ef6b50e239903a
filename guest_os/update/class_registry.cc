// The class registry (class_registry.h).
#include "update/class_registry.h"

#include "kernel/atomic.h"
#include "kernel/heap.h"
#include "kernel/machine.h"
#include "kernel/panic.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"

namespace upd {

namespace {
struct ClassEntry {
  const char* name;
  u32 ref;
  ClassEntry* next;
};
SpinLock g_classes_lock;  // one writer at a time
ClassEntry* volatile g_classes;  // the newest first; readers follow it without the lock
}  // namespace

void register_class(const char* name, u32 ref) {
  ClassEntry* e = static_cast<ClassEntry*>(kmalloc(sizeof(ClassEntry)));
  KASSERT(e);
  e->name = name;
  e->ref = ref;
  SpinGuard g(g_classes_lock);
  e->next = g_classes;
  mach::lwsync();  // the entry before the head that points to it
  g_classes = e;
}

// Without the lock: entries are published whole (register_class's lwsync)
// and never change or go, so a reader sees a list that was once the whole
// one. A program's every fault and every copy of its memory asks for the
// partitioned region's class until it exists: one lock for every CPU there
// was one line they all took turns for.
u32 find_class(const char* name) {
  ClassEntry* e = load_once(g_classes);
  mach::lwsync();  // the head before the entries it leads to
  for (; e; e = e->next)
    if (strcmp(e->name, name) == 0) return e->ref;
  return 0;
}

}  // namespace upd
