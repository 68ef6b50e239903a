// The update mechanism's events (guest_os/include/dusim/update_events.def)
// as the report and the trace read them: every kind and argument resolved by
// name once, and update phases paired from their begin and end events.
#pragma once

#include <map>
#include <optional>
#include <tuple>

#include "report/event_args.h"

namespace dusim::report {

// An update event: each carries the update's delivery sequence number.
struct UpdateEventKind : EventKind {
  explicit UpdateEventKind(std::string_view name) : EventKind(name), seq(arg("update_seq")) {}
  EventArg seq;
};

struct UpdateEvents {
  UpdateEventKind received{"MODULE_RECEIVED"}, loaded{"MODULE_LOADED"}, applied{"UPDATE_APPLIED"},
      aborted{"UPDATE_ABORTED"}, rejected{"MODULE_REJECTED"}, phase_begin{"PHASE_BEGIN"}, phase_end{"PHASE_END"},
      released{"CALL_RELEASED"}, transfer{"STATE_TRANSFER"}, factory_swap{"FACTORY_SWAP"}, version_check{"VERSION_CHECK"},
      unloaded{"MODULE_UNLOADED"}, lazy_converted{"LAZY_CONVERTED"}, lazy_done{"LAZY_DONE"};
  EventArg objects_swapped = applied.arg("objects_swapped"), factories_swapped = applied.arg("factories_swapped");
  EventArg aborted_reason = aborted.arg("reason_code"), rejected_reason = rejected.arg("reason_code");
  EventArg begin_phase = phase_begin.arg("phase"), begin_object = phase_begin.arg("object");
  EventArg end_phase = phase_end.arg("phase"), end_object = phase_end.arg("object");
  EventArg released_object = released.arg("object"), released_thread = released.arg("thread_id"),
           blocked_cycles = released.arg("blocked_cycles");
  EventArg transfer_bytes = transfer.arg("bytes");
  EventArg swap_old_version = factory_swap.arg("old_version"), swap_new_version = factory_swap.arg("new_version"),
           swap_instances = factory_swap.arg("instances");
  EventArg check_running = version_check.arg("running_version"), check_new = version_check.arg("new_version"),
           check_accepted = version_check.arg("accepted");
  EventArg unloaded_module = unloaded.arg("module_seq"), unloaded_bytes = unloaded.arg("bytes");
  EventArg lazy_armed = lazy_done.arg("armed");

  // The update (its sequence number) an event of these kinds belongs to;
  // nothing for any other event.
  std::optional<uint64_t> seq_of(const Event& e) const;
};

// Built on first use.
const UpdateEvents& update_events();

// One update phase on one CPU, from its PHASE_BEGIN to its PHASE_END.
struct PhaseSlice {
  uint64_t seq, phase, object;
  uint32_t cpu;
  uint64_t start_cycles, end_cycles;
};

// Pairs each PHASE_END with the latest PHASE_BEGIN of the same update,
// phase, object and CPU. Feed it the events in log order.
class PhasePairer {
 public:
  std::optional<PhaseSlice> feed(const Event& e);

 private:
  std::map<std::tuple<uint64_t, uint64_t, uint64_t, uint32_t>, uint64_t> open_;  // -> start cycles
};

}  // namespace dusim::report
