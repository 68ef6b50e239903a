// An interface change through an adapter: the tally's add gains a client tag
// (TallyV2, guest_os/objects/tally.h). TallyV2Impl gets an entry of its own,
// registered as "TallyV2" for clients that know the new interface;
// TallyAdapter, of the old interface, takes the old tally's entry and
// forwards every call to it (add(n) as add(n, kPathAdapter); echo, which V2
// dropped, it answers itself), so clients compiled against TallyV1 go on
// calling the same reference. Every CPU's counts come over by state
// transfer, so the clients' audits stay exact across the change.
#include "kernel/atomic.h"
#include "objects/tally.h"
#include "update/dynamic_update.h"
#include "update/state_transfer.h"

class TallyV2Impl final : public obj::SingleRep<TallyV2> {
 public:
  u64 add(u64 n, u32 tag) override {
    u32 path = tag == kPathAdapter ? kPathAdapter : kPathDirect;
    atomic_inc(&calls_[path]);
    atomic_inc(&adds_[cpu_id()][path]);
    return atomic_fetch_add(&value_, n) + n;
  }
  u64 value() override { return value_; }
  u64 calls(u32 tag) override { return tag < kTallyPaths ? calls_[tag] : 0; }
  u64 addsOf(unsigned cpu, u32 path) override { return cpu < kMaxCpus && path < kTallyPaths ? adds_[cpu][path] : 0; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus import_state(u64, obj::StateBuffer& in) override {
    if (in.bytes != sizeof(TallyState)) return kErrInvalid;
    const auto* s = static_cast<const TallyState*>(in.data);
    value_ = s->value;
    for (unsigned c = 0; c < kMaxCpus; ++c)
      for (unsigned p = 0; p < kTallyPaths; ++p) adds_[c][p] = s->adds[c][p];
    return kOk;
  }
  void destroy(bool) override { delete this; }
  const char* class_name() const override { return "TallyV2Impl"; }

 private:
  volatile u64 value_ = 0;
  volatile u64 calls_[kTallyPaths] = {};
  volatile u64 adds_[kMaxCpus][kTallyPaths] = {};
};

class TallyAdapter final : public obj::SingleRep<TallyV1> {
 public:
  TallyAdapter(u32 target, TallyV2Impl* impl) : impl_(impl) { target_.idx = target; }
  u64 add(u64 n) override { return target_->add(n, kPathAdapter); }
  u64 echo(u64 x) override { return x ^ kTallyEchoKey; }
  u64 value() override { return target_->value(); }
  // An old client's adds: those version 1 counted, and those since.
  u64 addsOf(unsigned cpu) override { return target_->addsOf(cpu, kPathV1) + target_->addsOf(cpu, kPathAdapter); }
  u64 path() override { return kPathAdapter; }
  // The old tally's state goes to the new object (not yet reachable by any
  // client: its name is registered after the switch).
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus import_state(u64 f, obj::StateBuffer& in) override { return impl_->import_state(f, in); }
  void destroy(bool) override { delete this; }
  const char* class_name() const override { return "TallyAdapter"; }

 private:
  obj::ObjRef<TallyV2> target_;
  TallyV2Impl* impl_;
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* impl = new TallyV2Impl();
  u32 nref = impl ? obj::install(impl) : 0;  // unnamed: no client can reach it yet
  if (!nref) return 1;
  return upd::update_interface(ctx, g_tally_ref, nref, new TallyAdapter(nref, impl), "TallyV2") == kOk ? 0 : 1;
}
