// counter_v2_interface — CounterShared (the labs' counter), kind: interface
// (adapter).
// A client that wants to know its CPU's count after adding must add, then
// call countOf: two calls, and another thread of that CPU may add between
// them. The new interface (CounterV2, corpus_iface.h) returns the new count
// from add and adds take(cpu) (read and zero in one call, for a harvester).
// CounterV2Impl gets its own entry, named "CounterV2"; CounterV1Adapter, of
// the old interface, takes the counter's entry by hot swap and forwards
// (waitForTotal it serves itself, from total()). State by copy
// (CounterStateV0) to the new object.
// The test: old clients (one per CPU, each with its tally) add through the
// change; new clients found by name add through CounterV2 and check each
// returned count; every CPU's count equals the adds of both kinds made on it.
#include "kernel/atomic.h"
#include "objects/lab_counter.h"
#include "update/dynamic_update.h"
#include "corpus_iface.h"

class CounterV2Impl final : public obj::SingleRep<CounterV2> {
 public:
  u64 add(u64 n) override { return atomic_fetch_add(&counts_[cpu_id()], n) + n; }
  u64 countOf(unsigned cpu) override { return cpu < kMaxCpus ? counts_[cpu] : 0; }
  u64 total() override {
    u64 t = 0;
    for (unsigned c = 0; c < ncpus(); ++c) t += counts_[c];
    return t;
  }
  u64 take(unsigned cpu) override { return cpu < kMaxCpus ? atomic_swap(&counts_[cpu], 0) : 0; }
  u64 classVersion() override { return 2; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus import_state(u64 format, obj::StateBuffer& in) override {
    if (format != obj::kXferCopyV0 || in.bytes != sizeof(CounterStateV0)) return kErrInvalid;
    const auto* s = static_cast<const CounterStateV0*>(in.data);
    for (unsigned c = 0; c < kMaxCpus; ++c) counts_[c] = s->counts[c];
    return kOk;
  }
  void destroy(bool) override { delete this; }
  const char* class_name() const override { return "CounterV2Impl"; }

 private:
  volatile u64 counts_[kMaxCpus] = {};
};

class CounterV1Adapter final : public obj::SingleRep<Counter> {
 public:
  CounterV1Adapter(u32 target, CounterV2Impl* impl) : impl_(impl) { target_.idx = target; }
  void add(u64 n) override { target_->add(n); }
  u64 countOf(unsigned cpu) override { return target_->countOf(cpu); }
  u64 total() override { return target_->total(); }
  u64 classVersion() override { return target_->classVersion(); }
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus import_state(u64 f, obj::StateBuffer& in) override { return impl_->import_state(f, in); }
  void destroy(bool) override { delete this; }
  const char* class_name() const override { return "CounterV1Adapter"; }

 private:
  obj::ObjRef<CounterV2> target_;
  CounterV2Impl* impl_;
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* impl = new CounterV2Impl();
  u32 nref = impl ? obj::install(impl) : 0;
  if (!nref) return 1;
  auto* a = new CounterV1Adapter(nref, impl);
  if (!a) return 1;
  return upd::update_interface(ctx, g_lab_counter.idx, nref, a, kCounterV2Class) == kOk ? 0 : 1;
}
