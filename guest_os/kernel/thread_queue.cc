#include "kernel/thread_queue.h"

#include "kernel/thread.h"

void ThreadQueue::push_back(Thread* t) {
  t->qnext = nullptr;
  t->qprev = tail;
  if (tail) tail->qnext = t;
  else head = t;
  tail = t;
  ++count;
}

void ThreadQueue::push_front(Thread* t) {
  t->qprev = nullptr;
  t->qnext = head;
  if (head) head->qprev = t;
  else tail = t;
  head = t;
  ++count;
}

Thread* ThreadQueue::pop_front() {
  Thread* t = head;
  if (!t) return nullptr;
  head = t->qnext;
  if (head) head->qprev = nullptr;
  else tail = nullptr;
  t->qnext = t->qprev = nullptr;
  --count;
  return t;
}

void ThreadQueue::remove(Thread* t) {
  if (t->qprev) t->qprev->qnext = t->qnext;
  else head = t->qnext;
  if (t->qnext) t->qnext->qprev = t->qprev;
  else tail = t->qprev;
  t->qnext = t->qprev = nullptr;
  --count;
}

bool ThreadQueue::contains(const Thread* t) const {
  for (Thread* p = head; p; p = p->qnext)
    if (p == t) return true;
  return false;
}
