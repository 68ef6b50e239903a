// The module service: takes update modules from the mailbox and runs them.
//
//   mailbox interrupt (any CPU, interrupts off): for every waiting blob
//   (modules that arrive together queue in the mailbox), read SIZE and SEQ
//   (the blob's own sequence number), copy the bytes into kernel memory
//   (COPY), consume them (ACK), emit MODULE_RECEIVED, and start an uncounted
//   kernel thread for the rest; the threads run their updates one at a
//   time, in the order the modules arrived
//   thread: load_module (ModuleEnv: kernel heap/pages, ksym) -> on failure
//   MODULE_REJECTED with the loader's reason, and nothing changed; on
//   success MODULE_LOADED, the module's constructors, then its init
//   dusim_module_init(UpdateContext*), which performs the update; if init
//   returns without having reported an outcome, UPDATE_APPLIED (init
//   returned 0) or UPDATE_ABORTED (nonzero) is emitted for it.
//
// A module stays loaded while its classes' code is in use: a module that
// holds none (a revert's, a commit's) is unloaded after its init, the others
// when a revert or a commit leaves nothing using them (lifecycle.h).
#pragma once

#include "kernel/types.h"
#include "loader/module_loader.h"
#include "update/dynamic_update.h"

namespace upd {

// Installs the mailbox handler (idempotent; called by a static constructor).
void module_service_init();

struct ModuleOutcome {
  bool loaded;
  long init_result;
  char reason[160];
};
// Loads and runs one module image in the calling thread, as the mailbox
// path does (tests use it on embedded images). `ctx.seq` names the update.
ModuleOutcome run_module(const u8* image, uval size, UpdateContext& ctx);

// Where modules' memory comes from and goes back to (the kernel heap, whole
// pages for large alignments); lifecycle.cc unloads through it.
const dusim::loader::ModuleEnv& module_env();

}  // namespace upd
