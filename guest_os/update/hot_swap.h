// Hot swap of one object by a mediator (seed: "Hot-swapping operates by
// interposing a mediator object in front of the object"; claims 11, 12, 19;
// FIG. 3, 316-324 for each instance). hot_swap.cc has one function per phase,
// in this order, each bracketed by PHASE_BEGIN/PHASE_END events:
//
//   interpose  the mediator (mediator.h) goes into the object's global entry
//              and every CPU's local entry: from now on every new call meets it
//   forward    calls are forwarded to the old object and tracked until every
//              call in flight is a tracked one: the generation current at
//              interpose time has ended (gen::mark/wait)
//   block      new calls are held in the mediator; a thread already inside
//              the object (one with a tracked call) still re-enters, so an
//              object that calls itself cannot deadlock
//   quiesce    wait until no tracked call is left: the object is quiescent
//   transfer   state moves in the format negotiated before interposing
//              (state_transfer.h)
//   switch     the entries name the new object; then release: held calls
//              wake and retry through the table, reaching the new object
//              (one event phase, SWITCH)
//   destroy    the old object is freed; the mediator is retired, and freed
//              once the generation after the switch has ended
//
// A quiescence wait (forward or quiesce) that exceeds the timeout, or a
// transfer that fails, takes the restore path instead of switch: the entries
// name the old object again, held calls are released to it, the new object
// is destroyed, and for a timeout every thread that held things up is
// reported (holder_report.h). A refusal before interpose (no such object, no
// common format, no memory, the object already being swapped) changes
// nothing. Either way SWAP_ABORTED ends the swap's events.
//
// Who may call: a kernel thread (it sleeps), never an interrupt handler;
// one swap per object at a time (a second one gets kErrBusy). The swapping
// thread should not itself be inside the object.
#pragma once

#include "objects/object_table.h"
#include "update/holder_report.h"
#include "update/mediator.h"

namespace obj {

struct SwapOptions {
  u64 update_seq = 0;         // the update this swap belongs to (events)
  u64 timeout_cycles = 0;     // 0: the default (kDefaultSwapTimeout)
  bool destroy_old = true;    // false: the caller destroys the old root itself
  // false: a failed swap leaves the replacement to the caller instead of
  // destroying it (a revert swaps back to an object it must keep).
  bool own_replacement = true;
  // Called after the switch, before the old object is destroyed (bookkeeping
  // such as a factory's instance lists).
  void (*on_switched)(ObjectRoot* old_root, ObjectRoot* new_root, void* arg) = nullptr;
  void* arg = nullptr;
};

constexpr u64 kDefaultSwapTimeout = 50'000'000;  // core cycles (~30 ms at 1.65 GHz)

// Why a swap failed. The refusals change nothing; the others are undone by
// the restore path.
enum class SwapFailure : u8 {
  kNone,
  // refusals, before interpose
  kNoSuchObject,
  kNoCommonFormat,
  kNoMemory,
  kBusy,
  // after interpose: restored
  kOldGenerationTimeout,  // forward: threads in an old generation
  kInsideTimeout,         // quiesce: threads inside the object
  kExportFailed,
  kImportFailed,
};
// What a failure reports: its status (kErrInvalid, kErrNoMemory, kErrBusy,
// kErrTimedOut) and its reason text. Any thread.
SysStatus status_of(SwapFailure f);
const char* describe(SwapFailure f);
inline bool is_timeout(SwapFailure f) {
  return f == SwapFailure::kOldGenerationTimeout || f == SwapFailure::kInsideTimeout;
}

struct SwapResult {
  SysStatus status = kOk;
  SwapFailure failure = SwapFailure::kNone;
  u64 format = 0;            // the negotiated transfer format
  u64 bytes = 0;             // bytes copied by the transfer
  u64 blocked_calls = 0;     // calls held by the mediator
  u64 holders = 0;           // threads reported as holding up quiescence
  u64 cycles = 0;            // whole swap
  const char* reason = "";   // describe(failure)
};

// Replaces the object at `idx` by `replacement` (which the swap owns from
// now on: installed on success, destroyed on failure unless
// !opts.own_replacement).
SwapResult hot_swap(u32 idx, ObjectRoot* replacement, const SwapOptions& opts = {});

// Up to kMaxBatch swaps at once (a class update's instances on one CPU):
// every object is interposed, then ONE forward waits for the generation
// current after the last interpose, then each object in turn is blocked,
// quiesced, transferred and switched (or restored) on its own, so a call
// is held only for its own object's few microseconds, while the generation
// wait, the longest phase under load, is paid once for the batch. Each
// swap's events are as hot_swap's; out[k] is swap k's result.
constexpr unsigned kMaxBatch = 16;
void hot_swap_batch(unsigned n, const u32* idx, ObjectRoot* const* replacement, const SwapOptions& opts,
                    SwapResult* out);

}  // namespace obj
