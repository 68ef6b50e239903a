// The update phases (UPDATE_PHASE in dusim/update_events.def) as constants,
// and a scope that brackets a phase with PHASE_BEGIN / PHASE_END events.
#pragma once

#include "kernel/events.h"

namespace upd {

enum : u64 {
#define UPDATE_PHASE(name, id, d) kPhase_##name = id,
#define EVENT(...)
#include "dusim/update_events.def"
#undef EVENT
#undef UPDATE_PHASE
};

// Emits PHASE_BEGIN(seq, phase, object) now and PHASE_END at scope exit.
struct PhaseScope {
  u64 seq, phase, object;
  PhaseScope(u64 s, u64 p, u64 o) : seq(s), phase(p), object(o) { ev::emit(ev::PHASE_BEGIN, s, p, o); }
  ~PhaseScope() { ev::emit(ev::PHASE_END, seq, phase, object); }
  PhaseScope(const PhaseScope&) = delete;
  PhaseScope& operator=(const PhaseScope&) = delete;
};

}  // namespace upd
