#include "report/update_events.h"

namespace dusim::report {

const UpdateEvents& update_events() {
  static const UpdateEvents events;
  return events;
}

std::optional<uint64_t> UpdateEvents::seq_of(const Event& e) const {
  for (const UpdateEventKind* k : {&received, &loaded, &applied, &aborted, &rejected, &phase_begin, &phase_end, &released,
                                   &transfer, &factory_swap, &version_check, &unloaded, &lazy_converted, &lazy_done})
    if (k->is(e)) return k->seq(e);
  return std::nullopt;
}

std::optional<PhaseSlice> PhasePairer::feed(const Event& e) {
  const UpdateEvents& k = update_events();
  if (k.phase_begin.is(e)) {
    open_[{k.phase_begin.seq(e), k.begin_phase(e), k.begin_object(e), e.cpu}] = e.cycles;
  } else if (k.phase_end.is(e)) {
    auto it = open_.find({k.phase_end.seq(e), k.end_phase(e), k.end_object(e), e.cpu});
    if (it == open_.end()) return std::nullopt;
    PhaseSlice p{k.phase_end.seq(e), k.end_phase(e), k.end_object(e), e.cpu, it->second, e.cycles};
    open_.erase(it);
    return p;
  }
  return std::nullopt;
}

}  // namespace dusim::report
