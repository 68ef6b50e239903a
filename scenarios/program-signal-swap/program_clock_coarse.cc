// Coarse clocks at the tick, as Linux's: a new class of program clock
// (objects/program_clock.h) and a factory behind the ProgramClock
// reference that makes it. ProgramClockShared answers every clock at the
// timebase's resolution. Here CLOCK_REALTIME_COARSE and
// CLOCK_MONOTONIC_COARSE move in steps of the scheduler tick's period (the
// decrementer's, 100 us by default; counted from the program's start), as
// Linux's follow its tick, and clock_getres says so; the other clocks are
// as before.
//
// A coarse reading is earlier than the precise one, so a program that
// read a coarse clock from the old class just before the swap could read
// an earlier time from the new one just after: the clock would go back.
// So besides the program's start (its clocks' zero, the one thing the
// state transfer carries) import takes the time of the swap as a floor:
// no coarse reading after it is earlier than the precise time then, which
// is later than anything the old class gave.
#include "kernel/thread.h"
#include "objects/program_clock.h"
#include "update/dynamic_update.h"

class ProgramClockCoarse final : public obj::SingleRep<ProgramClock> {
 public:
  explicit ProgramClockCoarse(u64 start_tb = 0)
      : start_tb_(start_tb), tick_ns_(sched::cycles_per_tick() * 1000 / (sched::clock_hz() / 1000000)) {}

  bool now(u64 clock, u64* ns) override {
    if (clock > 7) return false;
    u64 t = program_clock_elapsed_ns(start_tb_);
    if (clock == 5 || clock == 6) {
      t -= t % tick_ns_;
      if (t < floor_ns_) t = floor_ns_;
    }
    *ns = (clock == 0 || clock == 5) ? kProgramRealtimeEpochNs + t : t;
    return true;
  }

  bool resolution(u64 clock, u64* ns) override {
    if (clock > 7) return false;
    *ns = (clock == 5 || clock == 6) ? tick_ns_ : 1;
    return true;
  }

  u64 export_formats() override { return obj::kXferCopyV0; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus export_state(u64 format, obj::StateBuffer& out) override {
    if (format != obj::kXferCopyV0) return kErrInvalid;
    auto* s = static_cast<ProgramClockState*>(out.alloc(sizeof(ProgramClockState)));
    if (!s) return kErrNoMemory;
    s->start_tb = start_tb_;
    return kOk;
  }
  SysStatus import_state(u64 format, obj::StateBuffer& in) override {
    if (format != obj::kXferCopyV0) return kErrInvalid;
    start_tb_ = static_cast<const ProgramClockState*>(in.data)->start_tb;
    floor_ns_ = program_clock_elapsed_ns(start_tb_);
    return kOk;
  }
  void destroy(bool) override { delete this; }
  const char* class_name() const override { return "ProgramClockCoarse"; }

 private:
  u64 start_tb_;
  u64 tick_ns_;  // the scheduler tick's period (fixed at boot)
  u64 floor_ns_ = 0;  // (made by a swap: the precise time then)
};

class ProgramClockFactory_Coarse final : public ProgramClockFactory {
 public:
  ProgramClockFactory_Coarse() : ProgramClockFactory(1) {}
  SysStatus create(obj::ObjRef<ProgramClock>& out, u64 start_tb) override {
    return adopt(new ProgramClockCoarse(start_tb), out.idx);
  }
  // Takes an old clock's place; its start arrives by transfer.
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return new ProgramClockCoarse(); }
  const char* class_name() const override { return "ProgramClockFactory_Coarse"; }
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* f = new ProgramClockFactory_Coarse();
  if (!f) return 1;
  return upd::update_class(ctx, DREF_FACTORY_DEFAULT(ProgramClock).idx, f) == kOk ? 0 : 1;
}
