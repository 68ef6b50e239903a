// The tally service: a small OS object whose interface changes under load
// (issue 17's interface change through an adapter). Version 1 of its
// interface counts adds; version 2 changes add's signature (a client tag,
// so the service counts each kind of client), drops echo and adds calls(tag).
// A module (scenarios/interface-adapter/tally_v2.cc, which the update tests
// load too) installs TallyV2Impl under an entry of its own, registered as
// "TallyV2", and swaps TallyAdapter, of the old interface, into the old
// entry: clients compiled against TallyV1 keep calling their reference,
// clients that know TallyV2 find it by name and call it directly.
//
// Both versions keep, per CPU, the adds that reached them by each path
// (kPathV1: the version-1 object itself; kPathAdapter: old clients through
// the adapter; kPathDirect: new clients), and the state transfer carries
// every CPU's counts over, so a client can audit at any moment that the
// service counted exactly the adds it made (the `tally` workloads,
// workloads.cc, emit TALLY_AUDIT).
//
//   TallyShared  version 1 (the kernel's): one representative.
//
// Locking and synchronization: a CPU's counts are written only by calls on
// that CPU (atomic adds, since the test's clients share CPUs); the total is
// an atomic add. The swap's quiescence guarantees no call is inside the old
// object when its state is exported.
#pragma once

#include "kernel/percpu.h"
#include "objects/object_table.h"
#include "update/state_transfer.h"

enum : u32 {
  kPathV1 = 0,       // an add served by version 1 itself
  kPathAdapter = 1,  // an old client's add, through the adapter
  kPathDirect = 2,   // a new client's add, to version 2 directly
  kTallyPaths = 3,
};

class TallyV1 {
 public:
  virtual u64 add(u64 n) = 0;     // the new total
  virtual u64 echo(u64 x) = 0;    // x ^ kTallyEchoKey
  virtual u64 value() = 0;
  // Adds of old-interface clients on `cpu` that the service counted (through
  // version 1 and, after the change, through the adapter).
  virtual u64 addsOf(unsigned cpu) = 0;
  // Which path served this CPU's adds now: kPathV1 or kPathAdapter.
  virtual u64 path() = 0;

 protected:
  ~TallyV1() = default;
};

class TallyV2 {
 public:
  virtual u64 add(u64 n, u32 tag) = 0;  // the new total; tag: kPathAdapter or kPathDirect
  virtual u64 value() = 0;
  virtual u64 calls(u32 tag) = 0;       // adds made with `tag`, every CPU
  virtual u64 addsOf(unsigned cpu, u32 path) = 0;  // this CPU's adds by `path` (kPathV1: carried over)

 protected:
  ~TallyV2() = default;
};

constexpr u64 kTallyEchoKey = 0x7a11;

// The state both versions transfer (kXferCopyV0): the total and every
// CPU's adds by path.
struct TallyState {
  u64 value;
  u64 adds[kMaxCpus][kTallyPaths];
};

class TallyShared final : public obj::SingleRep<TallyV1> {
 public:
  u64 add(u64 n) override;
  u64 echo(u64 x) override { return x ^ kTallyEchoKey; }
  u64 value() override { return value_; }
  u64 addsOf(unsigned cpu) override { return cpu < kMaxCpus ? adds_[cpu] : 0; }
  u64 path() override { return kPathV1; }
  u64 export_formats() override { return obj::kXferCopyV0; }
  SysStatus export_state(u64 format, obj::StateBuffer& out) override;
  void destroy(bool) override;
  const char* class_name() const override { return "TallyShared"; }

 private:
  volatile u64 value_ = 0;
  volatile u64 adds_[kMaxCpus] = {};
};

// The tally's reference (0 until tally_init() or a test installs one); the
// module changes the interface of the object it names (resolved by the
// loader).
extern "C" u32 g_tally_ref;
// TallyShared's total when it was destroyed (after the interface change's
// commit: tests).
extern volatile u64 g_tally_v1_final;
// Installs a TallyShared under g_tally_ref unless one is there (idempotent).
void tally_init();
