// Intrusive doubly linked lists: a node carries its own links, named by
// member pointers, so one node type can sit on lists of different kinds.
// The caller holds whatever lock guards the list.
#pragma once

template <typename T>
inline void dlist_push_front(T*& head, T* n, T* T::*next, T* T::*prev) {
  n->*prev = nullptr;
  n->*next = head;
  if (head) head->*prev = n;
  head = n;
}

template <typename T>
inline void dlist_remove(T*& head, T* n, T* T::*next, T* T::*prev) {
  if (n->*prev) (n->*prev)->*next = n->*next;
  else head = n->*next;
  if (n->*next) (n->*next)->*prev = n->*prev;
}
