// Processes become replicated: a new factory behind the reference that
// clients use for shared processes (DREF_FACTORY_DEFAULT(ProcessShared))
// makes ProcessReplicated objects, one representative per CPU, instead of
// ProcessShared ones with a single counter every CPU writes. The class
// update swaps the factory (new processes are replicated at once), then
// every existing process, each keeping its pid and thread count
// (kXferCopyV0, which both implementations export and import). The seed's
// point: the implementation is the factory's choice, so changing the
// factory changes it for every process, while the system runs.
#include "objects/process.h"
#include "update/dynamic_update.h"

class ProcessFactory_Replicating final : public ProcessFactory {
 public:
  ProcessFactory_Replicating() : ProcessFactory(1) {}
  SysStatus create(obj::ObjRef<Process>& out, u64 pid) override { return adopt(new ProcessReplicated(pid), out.idx); }
  // Takes an old process's place; its pid and threads arrive by transfer.
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return new ProcessReplicated(0); }
  const char* class_name() const override { return "ProcessFactory_Replicating"; }
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* f = new ProcessFactory_Replicating();
  if (!f) return 1;
  return upd::update_class(ctx, DREF_FACTORY_DEFAULT(ProcessShared).idx, f) == kOk ? 0 : 1;
}
