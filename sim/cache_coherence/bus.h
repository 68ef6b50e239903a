// The snooping bus's timing: a timeline of busy intervals. A transaction
// starts at the first moment at or after its request time when the bus is
// free for its whole occupancy, so contention costs time.
//
// CPUs are temporally decoupled: each runs ahead of the others by up to a
// quantum, so requests arrive out of time order. A plain "free at" cursor
// would make a CPU that lags behind wait for transactions that are in its
// future; the timeline instead lets a late-arriving request use a gap in
// the past. Intervals older than `history` cycles behind the newest request
// are forgotten.
#pragma once

#include <cstdint>
#include <map>

namespace dusim::coherence {

class BusTimeline {
 public:
  explicit BusTimeline(uint64_t history) : history_(history) {}

  // Reserves `occupancy` cycles at or after `request`; returns the start.
  uint64_t book(uint64_t request, uint64_t occupancy);

  // For tests: is the bus busy at cycle t?
  bool busy_at(uint64_t t) const;

 private:
  void forget_before(uint64_t t);

  uint64_t history_;
  uint64_t newest_request_ = 0;
  uint64_t bookings_ = 0;
  std::map<uint64_t, uint64_t> busy_;  // start -> end (exclusive); disjoint, never adjacent
};

}  // namespace dusim::coherence
