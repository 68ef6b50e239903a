#include "objects/process.h"

#include "kernel/atomic.h"
#include "kernel/heap.h"
#include "kernel/spinlock.h"

obj::ObjRef<ProcessFactory> ProcessReplicatedFactory::factoryRef;
obj::ObjRef<ProcessFactory> ProcessSharedFactory::factoryRef;

// ---- ProcessReplicated ----------------------------------------------------------

// One CPU's representative: that CPU's threads of the process.
class ProcessReplicated::Rep final : public Process {
 public:
  Rep(ProcessReplicated* root, u32 cpu) : root_(root), cpu_(cpu) {}
  u64 pid() override { return root_->pid_; }
  SysStatus addThread() override {
    atomic_inc(&threads_);
    return kOk;
  }
  SysStatus removeThread() override {
    // Only threads counted here can end here; a thread that migrated is
    // taken from any representative that still counts one.
    for (;;) {
      u64 n = threads_;
      if (n == 0) return root_->take_elsewhere() ? kOk : kErrInvalid;
      if (atomic_cas(&threads_, n, n - 1) == n) return kOk;
    }
  }
  u64 threadCount() override { return root_->total_threads(); }
  u64 localThreadCount() override { return threads_; }
  u32 repCpu() override { return cpu_; }
  bool replicated() override { return true; }

  volatile u64 threads_ = 0;

 private:
  ProcessReplicated* root_;
  u32 cpu_;
  char pad_[KERNEL_CACHE_LINE];  // keeps neighbouring representatives apart
};

bool ProcessReplicated::take_elsewhere() {
  for (;;) {
    u64 n = base_threads_;
    if (n == 0) break;
    if (atomic_cas(&base_threads_, n, n - 1) == n) return true;
  }
  for (unsigned c = 0; c < ncpus(); ++c) {
    Rep* r = reps_[c];
    if (!r) continue;
    for (;;) {
      u64 n = r->threads_;
      if (n == 0) break;
      if (atomic_cas(&r->threads_, n, n - 1) == n) return true;
    }
  }
  return false;
}

void* ProcessReplicated::rep_for(unsigned cpu) {
  Rep* r = reps_[cpu];
  if (!r) {
    Rep* n = new Rep(this, cpu);
    if (!n) return nullptr;
    r = reinterpret_cast<Rep*>(atomic_cas(reinterpret_cast<volatile u64*>(&reps_[cpu]), 0, reinterpret_cast<u64>(n)));
    if (r) delete n;  // another thread of this CPU won
    else r = n;
  }
  return static_cast<Process*>(r);
}

u64 ProcessReplicated::total_threads() const {
  u64 n = base_threads_;
  for (unsigned c = 0; c < ncpus(); ++c)
    if (Rep* r = reps_[c]) n += r->threads_;
  return n;
}

u64 ProcessReplicated::reps() const {
  u64 n = 0;
  for (unsigned c = 0; c < ncpus(); ++c) n += reps_[c] != nullptr;
  return n;
}

SysStatus ProcessReplicated::export_state(u64 format, obj::StateBuffer& out) {
  if (format != obj::kXferCopyV0) return kErrInvalid;
  auto* s = static_cast<ProcessState*>(out.alloc(sizeof(ProcessState)));
  if (!s) return kErrNoMemory;
  s->pid = pid_;
  s->threads = total_threads();
  return kOk;
}

SysStatus ProcessReplicated::import_state(u64 format, obj::StateBuffer& in) {
  if (format != obj::kXferCopyV0) return kErrInvalid;
  auto* s = static_cast<ProcessState*>(in.data);
  pid_ = s->pid;
  base_threads_ = s->threads;
  return kOk;
}

void ProcessReplicated::destroy(bool) {
  for (unsigned c = 0; c < kMaxCpus; ++c) delete reps_[c];
  delete this;
}

// ---- ProcessShared ----------------------------------------------------------------

SysStatus ProcessShared::addThread() {
  atomic_inc(&threads_);
  return kOk;
}

SysStatus ProcessShared::removeThread() {
  for (;;) {
    u64 n = threads_;
    if (n == 0) return kErrInvalid;
    if (atomic_cas(&threads_, n, n - 1) == n) return kOk;
  }
}

SysStatus ProcessShared::export_state(u64 format, obj::StateBuffer& out) {
  if (format != obj::kXferCopyV0) return kErrInvalid;
  auto* s = static_cast<ProcessState*>(out.alloc(sizeof(ProcessState)));
  if (!s) return kErrNoMemory;
  s->pid = pid_;
  s->threads = threads_;
  return kOk;
}

SysStatus ProcessShared::import_state(u64 format, obj::StateBuffer& in) {
  if (format != obj::kXferCopyV0) return kErrInvalid;
  auto* s = static_cast<ProcessState*>(in.data);
  pid_ = s->pid;
  threads_ = s->threads;
  return kOk;
}

// ---- the factories ------------------------------------------------------------------

SysStatus ProcessReplicatedFactory::CreateDefault() {
  return install_default(factoryRef.idx, []() -> obj::Factory* { return new ProcessReplicatedFactory(0); });
}

SysStatus ProcessSharedFactory::CreateDefault() {
  return install_default(factoryRef.idx, []() -> obj::Factory* { return new ProcessSharedFactory(0); });
}

SysStatus ProcessReplicatedFactory::create(obj::ObjRef<Process>& out, u64 pid) {
  return adopt(new ProcessReplicated(pid), out.idx);
}

SysStatus ProcessSharedFactory::create(obj::ObjRef<Process>& out, u64 pid) {
  return adopt(new ProcessShared(pid), out.idx);
}
