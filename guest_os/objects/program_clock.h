// A program's clocks (kernel/user.cc's clock_gettime, clock_getres,
// gettimeofday, time, times, sysinfo's uptime, and the time a sleep or a
// futex wait with an absolute timeout ends go through it): simulated time,
// counted from the program's start, CLOCK_REALTIME from
// 2000-01-01T00:00:00Z at its start (run-elf's epoch). The sleeps
// themselves are the kernel's, outside the object: a call asleep in an
// object would hold every hot swap of it up.
//
//   ProgramClockShared  one representative: the timebase at the start;
//                       every clock at the timebase's resolution.
//
// Made and tracked by ProgramClockFactory (DREF_FACTORY_DEFAULT(ProgramClock)),
// so a class update reaches every running program's clock. State
// transfer: kXferCopyV0 (ProgramClockState).
//
// Locking: none; the state is set once, at creation.
#pragma once

#include "kernel/user.h"
#include "objects/object_table.h"
#include "update/factory.h"
#include "update/state_transfer.h"

class ProgramClock {
 public:
  // Clock `clock`'s time in ns (clock_gettime's ids): false for a clock
  // this kernel has not.
  virtual bool now(u64 clock, u64* ns) = 0;
  // Its resolution in ns (clock_getres): false for a clock it has not.
  virtual bool resolution(u64 clock, u64* ns) = 0;

 protected:
  ~ProgramClock() = default;
};

struct ProgramClockState {
  u64 start_tb;  // the timebase at the program's start
};

// Nanoseconds of simulated time since timebase value start_tb.
u64 program_clock_elapsed_ns(u64 start_tb);
constexpr u64 kProgramRealtimeEpochNs = 946684800ull * 1000000000ull;  // 2000-01-01, as a Unix time

class ProgramClockShared final : public obj::SingleRep<ProgramClock> {
 public:
  explicit ProgramClockShared(u64 start_tb = 0) : start_tb_(start_tb) {}
  bool now(u64 clock, u64* ns) override;
  bool resolution(u64 clock, u64* ns) override;
  u64 export_formats() override { return obj::kXferCopyV0; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus export_state(u64 format, obj::StateBuffer& out) override;
  SysStatus import_state(u64 format, obj::StateBuffer& in) override;
  void destroy(bool) override { delete this; }
  const char* class_name() const override { return "ProgramClockShared"; }

 private:
  u64 start_tb_;
};

// Not final: its reference is ObjRef<ProgramClockFactory> (objref_calls.sh).
class ProgramClockFactory : public obj::Factory {
 public:
  static SysStatus CreateDefault();  // version 0 at first use (idempotent)
  virtual SysStatus create(obj::ObjRef<ProgramClock>& out, u64 start_tb);
  virtual void destroyClock(obj::ObjRef<ProgramClock> ref) { destroy_instance(ref.idx); }
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return new ProgramClockShared(); }
  const char* class_name() const override { return "ProgramClockFactory"; }
  static obj::ObjRef<ProgramClockFactory> factoryRef;

 protected:
  explicit ProgramClockFactory(u64 version) : Factory(version) {}
};

#ifndef DREF_FACTORY_DEFAULT
#define DREF_FACTORY_DEFAULT(cls) (cls##Factory::factoryRef)
#endif
