// counter_wait_yield — CounterShared (the labs' counter), kind: perf
// (spinning).
// waitForTotal spins until the total reaches its target: a waiter keeps its
// CPU for its whole time slice, so a thread on the same CPU that would make
// the total grow gets only the slices the waiter leaves it. This version
// yields the CPU between polls (Thread::yield): a waiting CPU's other
// threads run, and the waiter polls again when they let it. Hot swap of the
// single instance, state by copy (CounterStateV0); add is version 0's.
// The test: on every CPU one adder and one waiter (waiting inside the object
// for 2,000 more adds, again and again; the waiters pause, outside, while
// the counter is swapped: lab 4); the adders make many more adds in the
// same window after the update than before, and every wait returns its
// target.
#include "kernel/thread.h"
#include "objects/lab_counter.h"
#include "update/dynamic_update.h"

class CounterYield final : public obj::SingleRep<Counter> {
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
  __attribute__((noinline)) u64 waitForTotal(u64 target) override {
    u64 t;
    while ((t = total()) < target) Thread::yield();
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
  const char* class_name() const override { return "CounterYield"; }

 private:
  volatile u64 counts_[kMaxCpus] = {};
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* c = new CounterYield();
  if (!c) return 1;
  return upd::update_object(ctx, g_lab_counter.idx, c) == kOk ? 0 : 1;
}
