// An intrusive FIFO of threads, linked through Thread::qnext/qprev. A thread
// is on at most one ThreadQueue at a time (a run queue, an incoming list or a
// wait queue). The queue itself has no lock: its owner protects it.
#pragma once

#include "kernel/types.h"

struct Thread;

struct ThreadQueue {
  Thread* head = nullptr;
  Thread* tail = nullptr;
  u64 count = 0;

  bool empty() const { return head == nullptr; }
  void push_back(Thread* t);
  void push_front(Thread* t);
  Thread* pop_front();
  void remove(Thread* t);  // t must be on this queue
  bool contains(const Thread* t) const;
};
