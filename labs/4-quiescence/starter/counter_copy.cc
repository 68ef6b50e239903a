// Lab 4, quiescence: a new version of the labs' counter with version 0's
// layout (guest_os/objects/lab_counter.h), swapped in with a quiescence
// timeout of 1 ms. This module is complete and correct; what keeps its
// swap from completing is elsewhere. Read the holder report.
#include "kernel/events.h"
#include "objects/lab_counter.h"
#include "update/dynamic_update.h"

class CounterShared_v1 final : public obj::SingleRep<Counter> {
 public:
  void add(u64 n) override {
    unsigned c = cpu_id();
    counts_[c] = counts_[c] + n;
  }
  u64 countOf(unsigned cpu) override { return cpu < kMaxCpus ? counts_[cpu] : 0; }
  u64 total() override {
    u64 t = 0;
    for (unsigned c = 0; c < ncpus(); ++c) t += counts_[c];
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
    for (unsigned c = 0; c < kMaxCpus; ++c) s->counts[c] = counts_[c];
    return kOk;
  }
  SysStatus import_state(u64 format, obj::StateBuffer& in) override {
    if (format != obj::kXferCopyV0 || in.bytes != sizeof(CounterStateV0)) return kErrInvalid;
    const auto* s = static_cast<const CounterStateV0*>(in.data);
    for (unsigned c = 0; c < kMaxCpus; ++c) counts_[c] = s->counts[c];
    return kOk;
  }
  void destroy(bool) override { delete this; }
  const char* class_name() const override { return "CounterShared_v1"; }

 private:
  volatile u64 counts_[kMaxCpus] = {};
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  ctx.timeout_cycles = 1'650'000;  // 1 ms at 1.65 GHz for each wait of the swap
  auto* p = new CounterShared_v1();
  if (!p) return 1;
  return upd::update_object(ctx, g_lab_counter.idx, p) == kOk ? 0 : 1;
}
