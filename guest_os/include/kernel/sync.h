// Blocking synchronization: wait queues, mutexes, latches, barriers.
//
// Locking and synchronization: a WaitQueue is a FIFO of blocked threads
// guarded by its own spinlock, which also guards the state of whatever is
// built on it (a Mutex's owner, a Latch's count). The pattern is always:
//   f = wq.lock.lock_irqsave(); check the condition; if it is not met,
//   wq.sleep_locked(f) (queues the thread, releases the lock, switches away;
//   returns with the lock released and interrupts restored); retry.
// Waking takes the same lock, so a wake-up can never fall between the check
// and the sleep. A thread blocked with a timeout is also on its CPU's timer
// list; whichever of the waker and the timer takes it off the queue (both
// under the queue's lock) wins, and the other finds it gone.
#pragma once

#include "kernel/spinlock.h"
#include "kernel/thread.h"
#include "kernel/thread_queue.h"

struct WaitQueue {
  SpinLock lock;
  ThreadQueue waiters;

  // Lock held (interrupts off, flags from lock_irqsave). Returns true when
  // woken, false when the timeout (in cycles; 0 = none) expired.
  bool sleep_locked(u64 irq_flags, u64 timeout_cycles = 0);
  // Lock held. Return the number of threads woken.
  unsigned wake_one_locked();
  unsigned wake_all_locked();
  void wake_all() {
    SpinGuard g(lock);
    wake_all_locked();
  }
};

// A blocking mutual-exclusion lock with direct hand-off to the longest waiter.
class Mutex {
 public:
  void lock();
  bool try_lock();
  void unlock();
  u64 contentions() const { return contentions_; }

 private:
  WaitQueue wq_;
  Thread* volatile owner_ = nullptr;
  u64 contentions_ = 0;
};

class MutexGuard {
 public:
  explicit MutexGuard(Mutex& m) : m_(m) { m_.lock(); }
  ~MutexGuard() { m_.unlock(); }

 private:
  Mutex& m_;
};

// Counts down to zero once; wait() returns once it is zero.
class Latch {
 public:
  explicit Latch(u64 count = 0) : count_(count) {}
  void add(u64 n);
  void count_down(u64 n = 1);
  void wait();
  bool wait_for(u64 timeout_cycles);
  u64 count() const { return count_; }

 private:
  WaitQueue wq_;
  volatile u64 count_;
};

// A reusable barrier for `parties` threads (blocking).
class Barrier {
 public:
  explicit Barrier(u64 parties) : parties_(parties) {}
  void arrive_and_wait();

 private:
  WaitQueue wq_;
  u64 parties_;
  u64 arrived_ = 0;
  volatile u64 phase_ = 0;
};

// A barrier for every CPU (spinning, for boot and CPU-level tests); the
// calling contexts need not be threads.
void cpu_barrier();
