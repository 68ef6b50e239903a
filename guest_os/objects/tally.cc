// TallyShared (tally.h) and the tally service's two workloads:
//
//   tally      an old client on each selected CPU: every call adds 1
//              through TallyV1 (g_tally_ref, whatever object it names now)
//              and checks echo; every `audit_every`-th call (default 8)
//              emits TALLY_AUDIT (client 0) with the adds this driver made,
//              the service's count of this CPU's old-interface adds, whether
//              they are equal, and the path that serves them (kPathV1, or
//              kPathAdapter once the interface changed).
//   tally_new  a client of the new interface on each selected CPU: every
//              call looks "TallyV2" up until a module registered it (until
//              then the call does nothing and returns 0), then adds 1 with
//              add(1, kPathDirect) and audits the same way (client 1,
//              kPathDirect).
#include "objects/tally.h"

#include "kernel/atomic.h"
#include "kernel/events.h"
#include "kernel/heap.h"
#include "kernel/panic.h"
#include "kernel/spinlock.h"
#include "kernel/workload.h"
#include "update/class_registry.h"

extern "C" {
u32 g_tally_ref;
}
volatile u64 g_tally_v1_final;

u64 TallyShared::add(u64 n) {
  atomic_inc(&adds_[cpu_id()]);
  return atomic_fetch_add(&value_, n) + n;
}

SysStatus TallyShared::export_state(u64 format, obj::StateBuffer& out) {
  if (format != obj::kXferCopyV0) return kErrInvalid;
  auto* s = static_cast<TallyState*>(out.alloc(sizeof(TallyState)));
  if (!s) return kErrNoMemory;
  s->value = value_;
  for (unsigned c = 0; c < kMaxCpus; ++c) {
    s->adds[c][kPathV1] = adds_[c];
    s->adds[c][kPathAdapter] = s->adds[c][kPathDirect] = 0;
  }
  return kOk;
}

void TallyShared::destroy(bool) {
  g_tally_v1_final = value_;
  delete this;
}

void tally_init() {
  static SpinLock lock;
  obj::init();
  SpinGuard g(lock);
  if (g_tally_ref) return;
  auto* t = new TallyShared();
  KASSERT(t);
  u32 idx = obj::install(t);
  KASSERT(idx);
  g_tally_ref = idx;
}

namespace {

struct alignas(KERNEL_CACHE_LINE) Client {
  u64 added;
  u64 calls;
  u32 v2;  // tally_new: TallyV2's reference, once found
};
Client* g_old;  // per CPU
Client* g_new;  // per CPU
u64 g_old_audit = 8, g_new_audit = 8;

Client* clients(const WorkloadParams& p, u64& audit_every) {
  tally_init();
  audit_every = workload::param_u64(p, "audit_every", 8);
  if (!audit_every) audit_every = 1;
  auto* c = static_cast<Client*>(kzalloc(sizeof(Client) * ncpus()));
  KASSERT(c);
  return c;
}

void tally_setup(const WorkloadParams& p) { g_old = clients(p, g_old_audit); }
void tally_new_setup(const WorkloadParams& p) { g_new = clients(p, g_new_audit); }

u64 tally_call(unsigned cpu, u64 i) {
  Client& c = g_old[cpu];
  obj::ObjRef<TallyV1> t{g_tally_ref};
  t->add(1);
  ++c.added;
  u64 ok = t->echo(i) == (i ^ kTallyEchoKey) ? 1 : 0;
  if (++c.calls % g_old_audit == 0) {
    u64 have = t->addsOf(cpu);
    ev::emit(ev::TALLY_AUDIT, cpu, 0, c.added, have, have == c.added ? 1 : 0, t->path());
  }
  return ok;
}

u64 tally_new_call(unsigned cpu, u64) {
  Client& c = g_new[cpu];
  if (!c.v2 && !(c.v2 = upd::find_class("TallyV2"))) return 0;  // the new interface is not there yet
  obj::ObjRef<TallyV2> t{c.v2};
  t->add(1, kPathDirect);
  ++c.added;
  if (++c.calls % g_new_audit == 0) {
    u64 have = t->addsOf(cpu, kPathDirect);
    ev::emit(ev::TALLY_AUDIT, cpu, 1, c.added, have, have == c.added ? 1 : 0, kPathDirect);
  }
  return 1;
}

}  // namespace

WORKLOAD(wl_tally) = {"tally", 0x35, tally_setup, tally_call, nullptr};
WORKLOAD(wl_tally_new) = {"tally_new", 0x36, tally_new_setup, tally_new_call, nullptr};
