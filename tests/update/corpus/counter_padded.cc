// counter_padded — CounterShared (the labs' counter), kind: perf and layout.
// Version 0 packs the per-CPU counts sixteen to a 128-byte line, so every
// add takes a line that fifteen other CPUs write too (false sharing). This
// version gives each CPU's count a line of its own. A layout change: the
// packed array arrives by copy (CounterStateV0) and is spread out on import;
// the export packs it back, so a revert loses nothing.
// The test: one adder per CPU, each keeping its own tally; every CPU's count
// equals its tally across the swap (nothing lost or doubled), and an add
// costs fewer cycles after than before.
#include "objects/lab_counter.h"
#include "update/dynamic_update.h"

class CounterPadded final : public obj::SingleRep<Counter> {
 public:
  void add(u64 n) override {
    Slot& s = slot_[cpu_id()];
    s.n = s.n + n;  // one driver per CPU, as version 0 assumes
  }
  u64 countOf(unsigned cpu) override { return cpu < kMaxCpus ? slot_[cpu].n : 0; }
  u64 total() override {
    u64 t = 0;
    for (unsigned c = 0; c < ncpus(); ++c) t += slot_[c].n;
    return t;
  }
  u64 classVersion() override { return 1; }
  u64 export_formats() override { return obj::kXferCopyV0; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus export_state(u64 format, obj::StateBuffer& out) override {
    if (format != obj::kXferCopyV0) return kErrInvalid;
    auto* s = static_cast<CounterStateV0*>(out.alloc(sizeof(CounterStateV0)));
    if (!s) return kErrNoMemory;
    s->ncpus = ncpus();
    for (unsigned c = 0; c < kMaxCpus; ++c) s->counts[c] = slot_[c].n;
    return kOk;
  }
  SysStatus import_state(u64 format, obj::StateBuffer& in) override {
    if (format != obj::kXferCopyV0 || in.bytes != sizeof(CounterStateV0)) return kErrInvalid;
    const auto* s = static_cast<const CounterStateV0*>(in.data);
    for (unsigned c = 0; c < kMaxCpus; ++c) slot_[c].n = s->counts[c];
    return kOk;
  }
  void destroy(bool) override { delete this; }
  const char* class_name() const override { return "CounterPadded"; }

 private:
  struct Slot {  // a line each (padding: kmalloc'd)
    volatile u64 n;
    char pad[KERNEL_CACHE_LINE - sizeof(u64)];
  };
  Slot slot_[kMaxCpus] = {};
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* c = new CounterPadded();
  if (!c) return 1;
  return upd::update_object(ctx, g_lab_counter.idx, c) == kOk ? 0 : 1;
}
