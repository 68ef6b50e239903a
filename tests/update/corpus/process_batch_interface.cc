// process_batch_interface — a ProcessShared process, kind: interface
// (adapter).
// Starting a program's 8 threads takes 8 calls to addThread, each an atomic
// on the process's shared line. The new interface (ProcessV2,
// corpus_iface.h) adds and removes n threads in one call; threadCount stays,
// the per-CPU queries of the old interface (localThreadCount, repCpu,
// replicated) go. ProcessBatched gets an entry of its own, registered as
// "ProcessBatched" for clients of the new interface; ProcessV1Adapter, of the
// old interface, takes the process's entry by hot swap and forwards each
// call (addThread as addThreads(1)), answering the dropped queries itself.
// State (pid, thread count: ProcessState) goes by copy to the new object.
// The test: old clients add and remove threads on every CPU before, during
// and after the change; new clients found by name add 8 at a time; every
// thread added is removed (the count is back to the resident threads) and
// no call fails.
#include "kernel/atomic.h"
#include "kernel/percpu.h"
#include "objects/process.h"
#include "update/dynamic_update.h"
#include "update/state_transfer.h"
#include "corpus_iface.h"

class ProcessBatched final : public obj::SingleRep<ProcessV2> {
 public:
  u64 pid() override { return pid_; }
  SysStatus addThreads(u64 n) override {
    atomic_fetch_add(&threads_, n);
    return kOk;
  }
  SysStatus removeThreads(u64 n) override {
    for (;;) {
      u64 v = threads_;
      if (v < n) return kErrInvalid;
      if (atomic_cas(&threads_, v, v - n) == v) return kOk;
    }
  }
  u64 threadCount() override { return threads_; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus import_state(u64 format, obj::StateBuffer& in) override {
    if (format != obj::kXferCopyV0) return kErrInvalid;
    auto* s = static_cast<ProcessState*>(in.data);
    pid_ = s->pid;
    threads_ = s->threads;
    return kOk;
  }
  void destroy(bool) override { delete this; }
  const char* class_name() const override { return "ProcessBatched"; }

 private:
  u64 pid_ = 0;
  volatile u64 threads_ = 0;
};

class ProcessV1Adapter final : public obj::SingleRep<Process> {
 public:
  ProcessV1Adapter(u32 target, ProcessBatched* impl) : impl_(impl) { target_.idx = target; }
  u64 pid() override { return target_->pid(); }
  SysStatus addThread() override { return target_->addThreads(1); }
  SysStatus removeThread() override { return target_->removeThreads(1); }
  u64 threadCount() override { return target_->threadCount(); }
  u64 localThreadCount() override { return target_->threadCount(); }  // one shared count, as before
  u32 repCpu() override { return kMaxCpus; }
  bool replicated() override { return false; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus import_state(u64 f, obj::StateBuffer& in) override { return impl_->import_state(f, in); }
  void destroy(bool) override { delete this; }
  const char* class_name() const override { return "ProcessV1Adapter"; }

 private:
  obj::ObjRef<ProcessV2> target_;
  ProcessBatched* impl_;
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* impl = new ProcessBatched();
  u32 nref = impl ? obj::install(impl) : 0;  // unnamed until the switch
  if (!nref) return 1;
  auto* a = new ProcessV1Adapter(nref, impl);
  if (!a) return 1;
  return upd::update_interface(ctx, g_corpus_process_ref, nref, a, kProcessV2Class) == kOk ? 0 : 1;
}
