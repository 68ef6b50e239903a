// process_percpu_counts — ProcessShared (every instance, through
// ProcessSharedFactory), kind: perf and layout.
// A shared process counts its threads in one word that every CPU's thread
// creation and exit hits with an atomic: on a process whose threads run on
// every CPU that line never stays anywhere. This version counts per CPU, a
// cache line each, and threadCount sums them; a thread that ends on a CPU
// with no count left takes one from another CPU. A layout change: the
// single count arrives by state transfer (ProcessState, kXferCopyV0) and is
// kept as a base that exits consume first; the export sums everything back.
// A class update of ProcessSharedFactory to version 1 (every process swapped).
// The test: processes that each hold resident threads keep their exact
// counts across the swap; under load the threads added are all removed
// (count back to the resident number) and an add/remove pair costs fewer
// cycles than version 0's.
#include "kernel/atomic.h"
#include "kernel/percpu.h"
#include "objects/process.h"
#include "update/dynamic_update.h"

class ProcessPerCpu final : public obj::SingleRep<Process> {
 public:
  explicit ProcessPerCpu(u64 pid) : pid_(pid) {}
  u64 pid() override { return pid_; }
  SysStatus addThread() override {
    atomic_inc(&count_[cpu_id()].n);
    return kOk;
  }
  SysStatus removeThread() override {
    if (take(&count_[cpu_id()].n) || take(&base_)) return kOk;
    for (unsigned c = 0; c < ncpus(); ++c)
      if (take(&count_[c].n)) return kOk;
    return kErrInvalid;
  }
  u64 threadCount() override {
    u64 n = base_;
    for (unsigned c = 0; c < ncpus(); ++c) n += count_[c].n;
    return n;
  }
  u64 localThreadCount() override { return count_[cpu_id()].n; }
  u32 repCpu() override { return kMaxCpus; }
  bool replicated() override { return false; }
  u64 export_formats() override { return obj::kXferCopyV0; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus export_state(u64 format, obj::StateBuffer& out) override {
    if (format != obj::kXferCopyV0) return kErrInvalid;
    auto* s = static_cast<ProcessState*>(out.alloc(sizeof(ProcessState)));
    if (!s) return kErrNoMemory;
    *s = ProcessState{pid_, threadCount()};
    return kOk;
  }
  SysStatus import_state(u64 format, obj::StateBuffer& in) override {
    if (format != obj::kXferCopyV0) return kErrInvalid;
    auto* s = static_cast<ProcessState*>(in.data);
    pid_ = s->pid;
    base_ = s->threads;
    return kOk;
  }
  void destroy(bool) override { delete this; }
  const char* class_name() const override { return "ProcessPerCpu"; }

 private:
  static bool take(volatile u64* n) {
    for (;;) {
      u64 v = *n;
      if (v == 0) return false;
      if (atomic_cas(n, v, v - 1) == v) return true;
    }
  }
  struct Count {  // a line each (padding: kmalloc'd)
    volatile u64 n;
    char pad[KERNEL_CACHE_LINE - sizeof(u64)];
  };
  u64 pid_;
  volatile u64 base_ = 0;
  // Keeps CPU 0's count off the line of the vtable pointer, which every
  // call on every CPU reads: kmalloc gives no line alignment, so a whole line.
  char apart_[KERNEL_CACHE_LINE];
  Count count_[kMaxCpus] = {};
};

class ProcessPerCpuFactory final : public ProcessFactory {
 public:
  ProcessPerCpuFactory() : ProcessFactory(1) {}
  SysStatus create(obj::ObjRef<Process>& out, u64 pid) override { return adopt(new ProcessPerCpu(pid), out.idx); }
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return new ProcessPerCpu(0); }
  const char* class_name() const override { return "ProcessPerCpuFactory"; }
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* f = new ProcessPerCpuFactory();
  if (!f) return 1;
  return upd::update_class(ctx, ProcessSharedFactory::factoryRef.idx, f) == kOk ? 0 : 1;
}
