// A program's process object (kernel/user.cc's ObjectHooks): every program
// the kernel runs gets a Process (objects/process.h) made by a process
// factory, through the factory reference, and the kernel's system calls
// for it reach that object through the translation table: getpid asks it
// for the pid, clone and thread exit count the program's threads in it. So
// the object a program's calls go to can be hot-swapped, and a whole class
// update (scenarios/process-replication) reaches the programs' processes
// too. Boot argument program_process=shared|replicated picks the factory
// (default shared).
#include "kernel/bootargs.h"
#include "kernel/user.h"
#include "objects/process.h"

namespace {

bool replicated() {
  const char* v = bootargs::get("program_process");
  return v && v[0] == 'r';
}

u64 create(u64 pid) {
  obj::ObjRef<Process> ref;
  if (replicated()) {
    if (ProcessReplicatedFactory::CreateDefault() != kOk) return 0;
    if (DREF_FACTORY_DEFAULT(ProcessReplicated)->create(ref, pid) != kOk) return 0;
  } else {
    if (ProcessSharedFactory::CreateDefault() != kOk) return 0;
    if (DREF_FACTORY_DEFAULT(ProcessShared)->create(ref, pid) != kOk) return 0;
  }
  return ref.idx;
}

obj::ObjRef<Process> ref_of(u64 handle) {
  obj::ObjRef<Process> r;
  r.idx = u32(handle);
  return r;
}

u64 pid(u64 h) { return ref_of(h)->pid(); }
void thread_added(u64 h) { ref_of(h)->addThread(); }
void thread_removed(u64 h) { ref_of(h)->removeThread(); }
u64 threads(u64 h) { return ref_of(h)->threadCount(); }

const user::ObjectHooks kHooks = {create, pid, thread_added, thread_removed, threads};

struct Install {
  Install() { user::set_object_hooks(&kHooks); }
} g_install;

}  // namespace
