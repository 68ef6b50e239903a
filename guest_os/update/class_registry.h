// The registry of classes added at run time (seed: "new object instances are
// merely added by establishing a pointer from the new factory object";
// FIG. 3, 328): class name -> the translation-table reference of its factory.
// upd::add_class (dynamic_update.h) registers; anyone looks a class up by name.
//
// Locking and synchronization: one spinlock orders the writers; readers
// walk the list without it (entries are published whole and never removed:
// a module's classes live as long as the module, which stays loaded), so a
// reference once found stays valid.
#pragma once

#include "kernel/types.h"

namespace upd {

// Adds `name` (a string that outlives the registry: the module's) with its
// factory's reference. Any kernel thread, interrupts on or off.
void register_class(const char* name, u32 factory_ref);
// The factory reference registered for `name`, or 0. Any thread.
u32 find_class(const char* name);

}  // namespace upd
