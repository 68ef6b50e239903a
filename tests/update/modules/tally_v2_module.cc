// An interface change through an adapter: the tally's add gains a client tag
// (TallyV2, tally_iface.h). TallyV2Impl gets an entry of its own, registered
// as "TallyV2" for clients that know the new interface; TallyAdapter, of the
// old interface, takes the old tally's entry and forwards every call to it
// (add(n) as add(n, kTagAdapter); echo, which V2 dropped, it answers itself),
// so clients compiled against TallyV1 go on calling the same reference.
#include "kernel/atomic.h"
#include "update/dynamic_update.h"
#include "update/state_transfer.h"
#include "tally_iface.h"

class TallyV2Impl final : public obj::SingleRep<TallyV2> {
 public:
  u64 add(u64 n, u32 tag) override {
    atomic_inc(&calls_[tag % kTallyTags]);
    return atomic_fetch_add(&value_, n) + n;
  }
  u64 value() override { return value_; }
  u64 calls(u32 tag) override { return calls_[tag % kTallyTags]; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus import_state(u64, obj::StateBuffer& in) override {
    value_ = static_cast<TallyState*>(in.data)->value;
    return kOk;
  }
  void destroy(bool) override { delete this; }
  const char* class_name() const override { return "TallyV2Impl"; }

 private:
  volatile u64 value_ = 0;
  volatile u64 calls_[kTallyTags] = {};
};

class TallyAdapter final : public obj::SingleRep<TallyV1> {
 public:
  TallyAdapter(u32 target, TallyV2Impl* impl) : impl_(impl) { target_.idx = target; }
  u64 add(u64 n) override { return target_->add(n, kTagAdapter); }
  u64 echo(u64 x) override { return x ^ kTallyEchoKey; }
  u64 value() override { return target_->value(); }
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
