// process_rebuild_refused — ProcessShared (through ProcessSharedFactory),
// kind: must-refuse (incompatible version).
// A rebuild of the shared process with a fix to removeThread's error path,
// whose author forgot to raise the class version: its factory says version
// 0, the version already running, and the version check (a successor must be
// running + 1) refuses it before the factory or any process is touched — two
// classes with one version could not be told apart by a later update or a
// revert.
// The test: the update is refused with the version reason; every process is
// still a ProcessShared of version 0 and keeps its threads.
#include "kernel/atomic.h"
#include "objects/process.h"
#include "update/dynamic_update.h"

class ProcessSharedRebuilt final : public obj::SingleRep<Process> {
 public:
  explicit ProcessSharedRebuilt(u64 pid) : pid_(pid) {}
  u64 pid() override { return pid_; }
  SysStatus addThread() override {
    atomic_inc(&threads_);
    return kOk;
  }
  SysStatus removeThread() override {
    for (;;) {
      u64 n = threads_;
      if (n == 0) return kErrInvalid;
      if (atomic_cas(&threads_, n, n - 1) == n) return kOk;
    }
  }
  u64 threadCount() override { return threads_; }
  u64 localThreadCount() override { return threads_; }
  u32 repCpu() override { return kMaxCpus; }
  bool replicated() override { return false; }
  u64 export_formats() override { return obj::kXferCopyV0; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus export_state(u64 format, obj::StateBuffer& out) override {
    if (format != obj::kXferCopyV0) return kErrInvalid;
    auto* s = static_cast<ProcessState*>(out.alloc(sizeof(ProcessState)));
    if (!s) return kErrNoMemory;
    *s = ProcessState{pid_, threads_};
    return kOk;
  }
  SysStatus import_state(u64 format, obj::StateBuffer& in) override {
    if (format != obj::kXferCopyV0) return kErrInvalid;
    auto* s = static_cast<ProcessState*>(in.data);
    pid_ = s->pid;
    threads_ = s->threads;
    return kOk;
  }
  void destroy(bool) override { delete this; }
  const char* class_name() const override { return "ProcessSharedRebuilt"; }

 private:
  u64 pid_;
  volatile u64 threads_ = 0;
};

class ProcessSharedRebuiltFactory final : public ProcessFactory {
 public:
  ProcessSharedRebuiltFactory() : ProcessFactory(0) {}  // the version it should have raised
  SysStatus create(obj::ObjRef<Process>& out, u64 pid) override {
    return adopt(new ProcessSharedRebuilt(pid), out.idx);
  }
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return new ProcessSharedRebuilt(0); }
  const char* class_name() const override { return "ProcessSharedRebuiltFactory"; }
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* f = new ProcessSharedRebuiltFactory();
  if (!f) return 1;
  return upd::update_class(ctx, ProcessSharedFactory::factoryRef.idx, f) == kOk ? 0 : 1;
}
