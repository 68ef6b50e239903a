// The class registry (class_registry.h).
#include "update/class_registry.h"

#include "kernel/heap.h"
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
SpinLock g_classes_lock;  // guards g_classes
ClassEntry* g_classes;
}  // namespace

void register_class(const char* name, u32 ref) {
  ClassEntry* e = static_cast<ClassEntry*>(kmalloc(sizeof(ClassEntry)));
  KASSERT(e);
  e->name = name;
  e->ref = ref;
  SpinGuard g(g_classes_lock);
  e->next = g_classes;
  g_classes = e;
}

u32 find_class(const char* name) {
  SpinGuard g(g_classes_lock);
  for (ClassEntry* e = g_classes; e; e = e->next)
    if (strcmp(e->name, name) == 0) return e->ref;
  return 0;
}

}  // namespace upd
