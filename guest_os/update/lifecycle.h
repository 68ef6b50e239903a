// What happens to an update after it applied: revert, commit, unloading
// (livepatch's reverse transition and module removal; K42 kept the old
// object until the swap was known to be good).
//
//   record   update_class and update_object record each update that applied:
//            the object (or factory reference) it changed, the old object (or
//            old factory) it replaced, kept alive and unreachable so that the
//            update can be undone, and the module whose code it installed.
//   revert   revert(ctx, seq) undoes update `seq` if it is still the latest
//            applied update on its object: the kept old object is swapped back
//            in (hot_swap, its state transferred back), or, for a class, the
//            factory reference is swapped back to the kept old factory and
//            every instance of the update's class — those created since too —
//            is swapped for one the old factory makes (state transfer). The
//            reverted update's objects are destroyed and, a generation later,
//            its module unloaded. Refused (UPDATE_ABORTED, kReasonRevert, a
//            reason, nothing changed) when the update is unknown, not applied,
//            reverted or committed already, or a later update replaced it.
//   commit   commit(ctx, seq) makes update `seq` (and every earlier update on
//            its object) permanent: the kept old objects and factories are
//            destroyed, and once a generation has passed since — no thread can
//            still be running their code — the modules whose classes are no
//            longer used by anything are unloaded.
//   unload   the module's memory (code, data, the loader's call stubs: one
//            allocation) is filled with a trapping pattern (`tw 31,0,0` words:
//            a call into it, or through a vtable in it, traps at once) and
//            freed to the kernel heap, which reuses it. A module that holds
//            no class (a revert's or a commit's own module) is unloaded right
//            after its init; one whose update aborted stays loaded.
//
// A kept object imports its successor's state when it is swapped back in,
// and may still name what it exported (a copied pointer, a back end): an
// import_state must not free what it is about to take back.
//
// Each step is a phase of the update that asks for it (REVERT, COMMIT,
// UNLOAD), so the report shows a revert or a commit as an update of its own.
//
// Locking and synchronization: one spinlock guards the records and module
// list (never held across a swap or a wait). Revert, commit and unload run
// in the update's thread, one update at a time (as dynamic_update.h), so
// the records they change cannot change under them otherwise.
#pragma once

#include "loader/module_loader.h"
#include "objects/object_table.h"
#include "update/dynamic_update.h"

namespace upd {

// A module the module service loaded (and its users: updates whose code
// lives in it, classes added from it).
struct LoadedModule {
  dusim::loader::Module m;
  u64 seq;         // the update that delivered it
  u64 users;
  bool unloaded;
  LoadedModule* next;
};

enum class UpdateState : u8 { kUnknown, kApplied, kReverted, kCommitted };

// ---- the module service (module_service.cc) ----
// A record for a module just loaded by update `seq`.
LoadedModule* adopt_module(const dusim::loader::Module& m, u64 seq);
// After its init: unloads ctx.module unless an update or a class uses it,
// or its update aborted.
void module_done(UpdateContext& ctx);

// ---- update_class / update_object / add_class (dynamic_update.cc) ----
// Update ctx.seq changed object (or factory reference) `ref`: `kept` is the
// replaced object (or old factory), kept for a revert until commit;
// `shared`: its state went by shared back end (it is destroyed without it).
void record_update(UpdateContext& ctx, bool is_class, u32 ref, obj::ObjectRoot* kept, bool shared);
// Update ctx.seq changed `ref`'s interface (update_interface): recorded so
// that it is the latest on `ref`, and refused if asked to revert.
void record_interface_update(UpdateContext& ctx, u32 ref);
// The module of ctx stays loaded as long as the system runs (add_class).
void pin_module(UpdateContext& ctx);
// A lazy class update (lazy_update.h): the module whose code `ref`'s latest
// update installed, with one user more (null: the kernel's code), and its
// release once no instance can run that code; the last user unloads it.
LoadedModule* pin_code_of(u32 ref);
void release_module(UpdateContext& ctx, LoadedModule* m);

// revert() and commit(), the calls a module's init makes, are declared in
// dynamic_update.h with the other update steps.

// ---- inspection (tests; any thread) ----
UpdateState update_state(u64 seq);
// The memory of update `seq`'s module; false if it had none.
bool module_of(u64 seq, uval* base, uval* bytes, bool* unloaded);
constexpr u32 kUnloadPattern = 0x7fe00008;  // tw 31,0,0: trap always

}  // namespace upd
