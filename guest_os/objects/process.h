// Processes (seed: "a process object may be implemented as a replicated
// object or as a shared object"): one interface, two implementations, the
// choice made by which factory creates the process — never by a flag.
//
//   ProcessReplicated  a clustered object with one representative per CPU,
//                      installed by miss handling on the CPU's first call:
//                      each CPU counts its own threads of the process in its
//                      own representative (no shared cache line on the
//                      thread-create path); threadCount sums them.
//   ProcessShared      one representative for every CPU: one counter, one
//                      cache line, atomics.
//
// Each class has its own factory (ProcessReplicatedFactory,
// ProcessSharedFactory), reached through its factory reference
// (DREF_FACTORY_DEFAULT(ProcessReplicated) / (ProcessShared)), both
// offering the ProcessFactory interface. Creation and destruction go
// through a factory reference; a client that holds an
// ObjRef<ProcessFactory> gets whichever implementation that factory makes.
//
// State transfer (both classes): kXferCopyV0, the ProcessState struct below
// (pid and thread count), so a process can be hot-swapped between the two
// implementations or to a newer version of either.
//
// Locking and synchronization: a replicated process's representatives are
// installed with a compare-and-swap into the root's per-CPU slots, and each
// is written only by its own CPU's calls (atomics, since threads on one CPU
// interleave at preemption); threadCount reads them all without a lock (a
// snapshot). The shared process uses atomics on its one counter.
#pragma once

#include "kernel/percpu.h"
#include "objects/object_table.h"
#include "update/factory.h"
#include "update/state_transfer.h"

class Process {
 public:
  virtual u64 pid() = 0;
  // A thread of this process starts / ends on the calling CPU.
  virtual SysStatus addThread() = 0;
  virtual SysStatus removeThread() = 0;
  // Threads of the process on every CPU.
  virtual u64 threadCount() = 0;
  // Threads counted by the representative the calling CPU reaches.
  virtual u64 localThreadCount() = 0;
  // The CPU whose representative served this call (kMaxCpus: the one
  // shared representative) — what tells the implementations apart.
  virtual u32 repCpu() = 0;
  virtual bool replicated() = 0;

 protected:
  ~Process() = default;
};

struct ProcessState {
  u64 pid;
  u64 threads;
};

// The interface both process factories offer.
class ProcessFactory : public obj::Factory {
 public:
  // A new process, installed in the translation table and tracked.
  virtual SysStatus create(obj::ObjRef<Process>& out, u64 pid) = 0;
  virtual void destroyProcess(obj::ObjRef<Process> ref) { destroy_instance(ref.idx); }

 protected:
  explicit ProcessFactory(u64 version) : Factory(version) {}
};

class ProcessReplicated final : public obj::ObjectRoot {
 public:
  explicit ProcessReplicated(u64 pid) : pid_(pid) {}
  void* rep_for(unsigned cpu) override;
  u64 export_formats() override { return obj::kXferCopyV0; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus export_state(u64 format, obj::StateBuffer& out) override;
  SysStatus import_state(u64 format, obj::StateBuffer& in) override;
  void destroy(bool keep_back_end) override;
  const char* class_name() const override { return "ProcessReplicated"; }

  u64 pid() const { return pid_; }
  u64 total_threads() const;
  u64 reps() const;  // representatives installed so far

 private:
  class Rep;
  // A thread that ends on a CPU other than the one it was counted on.
  bool take_elsewhere();
  u64 pid_;
  volatile u64 base_threads_ = 0;  // threads that arrived by state transfer
  Rep* volatile reps_[kMaxCpus] = {};
};

class ProcessShared final : public obj::SingleRep<Process> {
 public:
  explicit ProcessShared(u64 pid) : pid_(pid) {}
  u64 pid() override { return pid_; }
  SysStatus addThread() override;
  SysStatus removeThread() override;
  u64 threadCount() override { return threads_; }
  u64 localThreadCount() override { return threads_; }
  u32 repCpu() override { return kMaxCpus; }
  bool replicated() override { return false; }
  u64 export_formats() override { return obj::kXferCopyV0; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus export_state(u64 format, obj::StateBuffer& out) override;
  SysStatus import_state(u64 format, obj::StateBuffer& in) override;
  void destroy(bool) override { delete this; }
  const char* class_name() const override { return "ProcessShared"; }

 private:
  u64 pid_;
  volatile u64 threads_ = 0;
};

class ProcessReplicatedFactory final : public ProcessFactory {
 public:
  static SysStatus CreateDefault();  // version 0 at first use (idempotent)
  SysStatus create(obj::ObjRef<Process>& out, u64 pid) override;
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return new ProcessReplicated(0); }
  const char* class_name() const override { return "ProcessReplicatedFactory"; }
  static obj::ObjRef<ProcessFactory> factoryRef;

 private:
  explicit ProcessReplicatedFactory(u64 version) : ProcessFactory(version) {}
};

class ProcessSharedFactory final : public ProcessFactory {
 public:
  static SysStatus CreateDefault();
  SysStatus create(obj::ObjRef<Process>& out, u64 pid) override;
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return new ProcessShared(0); }
  const char* class_name() const override { return "ProcessSharedFactory"; }
  static obj::ObjRef<ProcessFactory> factoryRef;

 private:
  explicit ProcessSharedFactory(u64 version) : ProcessFactory(version) {}
};

#ifndef DREF_FACTORY_DEFAULT
#define DREF_FACTORY_DEFAULT(cls) (cls##Factory::factoryRef)
#endif
