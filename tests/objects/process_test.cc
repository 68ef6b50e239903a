// Guest test (label `objects`): processes with two implementations chosen by
// their factory. Workers on every CPU create processes through a factory
// reference of the ProcessFactory interface — the replicated one or the
// shared one, never a flag — and add and remove threads on every CPU; the
// counts must be exact and the implementation must be the factory's.
#include "kernel/atomic.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/sync.h"
#include "kernel/thread.h"
#include "objects/process.h"
#include "update/dynamic_update.h"
#include "update/hot_swap.h"
#include "kernel/ktest.h"

namespace {

constexpr u64 kPerCpu = 8;      // processes each CPU creates through each factory
constexpr u64 kThreads = 5;     // threads each CPU adds to every process

struct ProcArgs {
  obj::ObjRef<ProcessFactory> factory[2];  // [0] replicated, [1] shared
  obj::ObjRef<Process>* procs;             // [factory][cpu][kPerCpu]
  volatile u64 wrong;
  Latch* created;
  Latch* counted;
  Latch* done;
};

obj::ObjRef<Process>& proc_at(ProcArgs* pa, unsigned f, unsigned cpu, u64 k) {
  return pa->procs[(f * ncpus() + cpu) * kPerCpu + k];
}

void proc_worker(void* a) {
  ProcArgs* pa = static_cast<ProcArgs*>(a);
  unsigned me = cpu_id();
  u64 wrong = 0;
  // Create through the factory reference: the class is the factory's choice.
  for (unsigned f = 0; f < 2; ++f)
    for (u64 k = 0; k < kPerCpu; ++k) {
      obj::ObjRef<Process>& p = proc_at(pa, f, me, k);
      if (pa->factory[f]->create(p, (u64(f) << 32) | (u64(me) << 16) | k) != kOk) ++wrong;
    }
  pa->created->count_down();
  pa->created->wait();
  // Every CPU adds threads to every process (its own and the other CPUs').
  for (unsigned f = 0; f < 2; ++f)
    for (unsigned c = 0; c < ncpus(); ++c)
      for (u64 k = 0; k < kPerCpu; ++k) {
        obj::ObjRef<Process> p = proc_at(pa, f, c, k);
        for (u64 t = 0; t < kThreads; ++t)
          if (p->addThread() != kOk) ++wrong;
        if (p->pid() != ((u64(f) << 32) | (u64(c) << 16) | k)) ++wrong;
        // Which representative served us: this CPU's own (replicated), or
        // the one shared by all (shared).
        if (p->replicated() != (f == 0)) ++wrong;
        if (p->repCpu() != (f == 0 ? me : kMaxCpus)) ++wrong;
        if (f == 0 && p->localThreadCount() != kThreads) ++wrong;
        Thread::quiescent_point();
      }
  pa->counted->count_down();
  pa->counted->wait();
  // Each CPU removes two of its threads from every process.
  for (unsigned f = 0; f < 2; ++f)
    for (unsigned c = 0; c < ncpus(); ++c)
      for (u64 k = 0; k < kPerCpu; ++k) {
        obj::ObjRef<Process> p = proc_at(pa, f, c, k);
        if (p->removeThread() != kOk || p->removeThread() != kOk) ++wrong;
      }
  atomic_fetch_add(&pa->wrong, wrong);
  pa->done->count_down();
}

}  // namespace

KTEST(process_factories, "1,4,8") {
  KREQUIRE(ProcessReplicatedFactory::CreateDefault() == kOk, "no replicated factory");
  KREQUIRE(ProcessSharedFactory::CreateDefault() == kOk, "no shared factory");
  ProcArgs* pa = static_cast<ProcArgs*>(kzalloc(sizeof(ProcArgs)));
  pa->factory[0] = DREF_FACTORY_DEFAULT(ProcessReplicated);
  pa->factory[1] = DREF_FACTORY_DEFAULT(ProcessShared);
  KREQUIRE(!(pa->factory[0] == pa->factory[1]), "one factory for both classes");
  u64 n = 2 * ncpus() * kPerCpu;
  pa->procs = static_cast<obj::ObjRef<Process>*>(kzalloc(sizeof(obj::ObjRef<Process>) * n));
  pa->created = new Latch(ncpus());
  pa->counted = new Latch(ncpus());
  pa->done = new Latch(ncpus());
  KREQUIRE(ktest::start_threads(ncpus(), proc_worker, pa, "process worker"), "no thread");
  upd::wait_uncounted(*pa->done);
  KEXPECT(pa->wrong == 0, "%lu wrong answers from the processes", u64(pa->wrong));
  const char* want[2] = {"ProcessReplicated", "ProcessShared"};
  u64 expect_threads = ncpus() * (kThreads - 2);
  for (unsigned f = 0; f < 2; ++f) {
    KEXPECT(pa->factory[f]->instances() == ncpus() * kPerCpu, "factory %u tracks %lu processes", f,
            pa->factory[f]->instances());
    for (unsigned c = 0; c < ncpus(); ++c)
      for (u64 k = 0; k < kPerCpu; ++k) {
        obj::ObjRef<Process> p = proc_at(pa, f, c, k);
        obj::ObjectRoot* root = obj::root_of(p.idx);
        KEXPECT(strcmp(root->class_name(), want[f]) == 0, "factory %u made a %s", f, root->class_name());
        KEXPECT(p->threadCount() == expect_threads, "process %u/%u/%lu counts %lu threads, expected %lu", f, c, k,
                p->threadCount(), expect_threads);
        if (f == 0)
          KEXPECT(static_cast<ProcessReplicated*>(root)->reps() == ncpus(), "%lu representatives on %u cpus",
                  static_cast<ProcessReplicated*>(root)->reps(), ncpus());
      }
  }
  // The choice is the factory's: a client holding only a factory reference
  // gets whatever that factory makes; swapping one process between the two
  // implementations keeps its state (kXferCopyV0).
  obj::ObjRef<Process> p = proc_at(pa, 0, 0, 0);
  obj::SwapResult r = obj::hot_swap(p.idx, new ProcessShared(0));
  KEXPECT(r.status == kOk, "swap replicated -> shared: %s", r.reason);
  KEXPECT(!p->replicated() && p->threadCount() == expect_threads && p->pid() == 0, "state lost in the swap");
  r = obj::hot_swap(p.idx, new ProcessReplicated(0));
  KEXPECT(r.status == kOk && p->replicated() && p->threadCount() == expect_threads, "swap back: %s", r.reason);
  KEXPECT(p->removeThread() == kOk && p->threadCount() == expect_threads - 1, "removal after the swap");
  // Destruction through each factory.
  for (unsigned f = 0; f < 2; ++f) {
    for (unsigned c = 0; c < ncpus(); ++c)
      for (u64 k = 0; k < kPerCpu; ++k) pa->factory[f]->destroyProcess(proc_at(pa, f, c, k));
    KEXPECT(pa->factory[f]->instances() == 0, "factory %u still tracks %lu processes", f,
            pa->factory[f]->instances());
  }
  kprintf("process factories: %lu processes per factory on %u cpus, %lu threads each at the end\n",
          ncpus() * kPerCpu, ncpus(), expect_threads);
}
