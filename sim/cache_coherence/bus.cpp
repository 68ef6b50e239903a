#include "cache_coherence/bus.h"

#include <algorithm>
#include <iterator>

namespace dusim::coherence {

size_t BusTimeline::first_starting_after(uint64_t t) const {
  size_t lo = head_, hi = busy_.size();
  // (from the tail first: the common case is a booking after every interval)
  if (lo == hi || busy_[hi - 1].start <= t) return hi;
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (busy_[mid].start <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

uint64_t BusTimeline::book(uint64_t request, uint64_t occupancy) {
  if (occupancy == 0) return request;
  if (request > newest_request_) newest_request_ = request;
  if ((++bookings_ & 1023) == 0 && newest_request_ > history_) forget_before(newest_request_ - history_);

  uint64_t start = request;
  size_t next = first_starting_after(start);
  if (next != head_) start = std::max(start, busy_[next - 1].end);
  while (next != busy_.size() && busy_[next].start < start + occupancy) {
    start = std::max(start, busy_[next].end);
    ++next;
  }
  const uint64_t end = start + occupancy;

  // Insert [start, end), merging with neighbours that touch it. `after`:
  // the first interval starting at or after `start`.
  size_t after = first_starting_after(start);
  if (after != head_ && busy_[after - 1].start == start) --after;
  if (after != head_ && busy_[after - 1].end == start) {
    Busy& before = busy_[after - 1];
    before.end = end;
    if (after != busy_.size() && busy_[after].start == end) {
      before.end = busy_[after].end;
      busy_.erase(busy_.begin() + std::ptrdiff_t(after));
    }
    return start;
  }
  if (after != busy_.size() && busy_[after].start == end) {
    busy_[after].start = start;
  } else {
    busy_.insert(busy_.begin() + std::ptrdiff_t(after), Busy{start, end});
  }
  return start;
}

bool BusTimeline::busy_at(uint64_t t) const {
  const size_t it = first_starting_after(t);
  if (it == head_) return false;
  return busy_[it - 1].end > t;
}

void BusTimeline::forget_before(uint64_t t) {
  while (head_ != busy_.size() && busy_[head_].end < t) ++head_;
  if (head_ > 1024 && head_ * 2 > busy_.size()) {
    busy_.erase(busy_.begin(), busy_.begin() + std::ptrdiff_t(head_));
    head_ = 0;
  }
}

}  // namespace dusim::coherence
