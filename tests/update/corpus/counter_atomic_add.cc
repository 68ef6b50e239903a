// counter_atomic_add — CounterShared (the labs' counter), kind: fix (race).
// CounterShared::add does counts_[c] = counts_[c] + n: a load and a store.
// Threads on one CPU interleave at preemption, so a thread preempted between
// the two, while another thread of that CPU adds, writes back a stale count
// and that thread's adds are lost. This version adds with an atomic
// fetch-and-add. Hot swap of the single instance (update_object), state by
// copy (CounterStateV0).
// The test: two adding threads per CPU; adds are lost before (the symptom,
// within at most 32 windows of load); in 4 windows of the same load after,
// none.
#include "kernel/atomic.h"
#include "objects/lab_counter.h"
#include "update/dynamic_update.h"

class CounterAtomic final : public obj::SingleRep<Counter> {
 public:
  void add(u64 n) override { atomic_fetch_add(&counts_[cpu_id()], n); }
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
  const char* class_name() const override { return "CounterAtomic"; }

 private:
  volatile u64 counts_[kMaxCpus] = {};
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* c = new CounterAtomic();
  if (!c) return 1;
  return upd::update_object(ctx, g_lab_counter.idx, c) == kOk ? 0 : 1;
}
