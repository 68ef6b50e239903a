#include "objects/program_clock.h"

#include "kernel/heap.h"
#include "kernel/machine.h"
#include "kernel/thread.h"

obj::ObjRef<ProgramClockFactory> ProgramClockFactory::factoryRef;

u64 program_clock_elapsed_ns(u64 start_tb) {
  const u64 ticks = mach::mftb() - start_tb;
  const u64 hz = sched::timebase_hz();
  return ticks / hz * 1000000000ull + (ticks % hz) * 1000000000ull / hz;
}

bool ProgramClockShared::now(u64 clock, u64* ns) {
  switch (clock) {
    case 0: case 5:  // REALTIME, REALTIME_COARSE
      *ns = kProgramRealtimeEpochNs + program_clock_elapsed_ns(start_tb_);
      return true;
    case 1: case 2: case 3: case 4: case 6: case 7:  // MONOTONIC, the CPU times, MONOTONIC_RAW and _COARSE, BOOTTIME
      *ns = program_clock_elapsed_ns(start_tb_);
      return true;
    default:
      return false;
  }
}

bool ProgramClockShared::resolution(u64 clock, u64* ns) {
  if (clock > 7) return false;
  *ns = 1;
  return true;
}

SysStatus ProgramClockShared::export_state(u64 format, obj::StateBuffer& out) {
  if (format != obj::kXferCopyV0) return kErrInvalid;
  auto* s = static_cast<ProgramClockState*>(out.alloc(sizeof(ProgramClockState)));
  if (!s) return kErrNoMemory;
  s->start_tb = start_tb_;
  return kOk;
}

SysStatus ProgramClockShared::import_state(u64 format, obj::StateBuffer& in) {
  if (format != obj::kXferCopyV0) return kErrInvalid;
  start_tb_ = static_cast<const ProgramClockState*>(in.data)->start_tb;
  return kOk;
}

SysStatus ProgramClockFactory::CreateDefault() {
  return install_default(factoryRef.idx, []() -> obj::Factory* { return new ProgramClockFactory(0); });
}

SysStatus ProgramClockFactory::create(obj::ObjRef<ProgramClock>& out, u64 start_tb) {
  return adopt(new ProgramClockShared(start_tb), out.idx);
}
