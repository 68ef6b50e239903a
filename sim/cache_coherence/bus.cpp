#include "cache_coherence/bus.h"

#include <algorithm>
#include <iterator>

namespace dusim::coherence {

uint64_t BusTimeline::book(uint64_t request, uint64_t occupancy) {
  if (occupancy == 0) return request;
  if (request > newest_request_) newest_request_ = request;
  if ((++bookings_ & 1023) == 0 && newest_request_ > history_) forget_before(newest_request_ - history_);

  uint64_t start = request;
  auto next = busy_.upper_bound(start);
  if (next != busy_.begin()) {
    auto prev = std::prev(next);
    start = std::max(start, prev->second);
  }
  while (next != busy_.end() && next->first < start + occupancy) {
    start = std::max(start, next->second);
    ++next;
  }
  const uint64_t end = start + occupancy;

  // Insert [start, end), merging with neighbours that touch it.
  auto after = busy_.lower_bound(start);
  if (after != busy_.begin()) {
    auto before = std::prev(after);
    if (before->second == start) {
      before->second = end;
      if (after != busy_.end() && after->first == end) {
        before->second = after->second;
        busy_.erase(after);
      }
      return start;
    }
  }
  if (after != busy_.end() && after->first == end) {
    uint64_t merged_end = after->second;
    busy_.erase(after);
    busy_.emplace(start, merged_end);
  } else {
    busy_.emplace(start, end);
  }
  return start;
}

bool BusTimeline::busy_at(uint64_t t) const {
  auto it = busy_.upper_bound(t);
  if (it == busy_.begin()) return false;
  return std::prev(it)->second > t;
}

void BusTimeline::forget_before(uint64_t t) {
  while (!busy_.empty() && busy_.begin()->second < t) busy_.erase(busy_.begin());
}

}  // namespace dusim::coherence
