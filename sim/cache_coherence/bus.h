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

#include <cstddef>
#include <cstdint>
#include <vector>

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

  struct Busy {
    uint64_t start, end;  // [start, end)
  };
  // The index of the first live interval whose start is above t (the end: none).
  size_t first_starting_after(uint64_t t) const;

  uint64_t history_;
  uint64_t newest_request_ = 0;
  uint64_t bookings_ = 0;
  // The intervals from head_ on, in time order: disjoint, never adjacent.
  // Nearly every booking lands at or near the newest end (CPUs lag each
  // other by at most a quantum), so a sorted array inserts with a short
  // move at its tail, and forgetting is moving head_; the forgotten prefix
  // is dropped once it is half the array.
  std::vector<Busy> busy_;
  size_t head_ = 0;
};

}  // namespace dusim::coherence
