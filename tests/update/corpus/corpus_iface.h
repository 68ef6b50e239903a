// New interfaces that corpus modules introduce (interface changes through
// adapters), shared by the modules and by tests/update/corpus_test.cc, whose
// clients of the new interface are compiled against them; and the objects a
// module finds through the loader (defined by the test).
#pragma once

#include "objects/object_table.h"

// process_batch_interface: a process's threads added and removed n at a
// time (one call where a client starting 8 threads made 8).
class ProcessV2 {
 public:
  virtual u64 pid() = 0;
  virtual SysStatus addThreads(u64 n) = 0;
  virtual SysStatus removeThreads(u64 n) = 0;  // kErrInvalid (nothing removed) below n
  virtual u64 threadCount() = 0;

 protected:
  ~ProcessV2() = default;
};
constexpr const char* kProcessV2Class = "ProcessBatched";

// counter_v2_interface: add returns the CPU's new count, and a CPU's count
// can be taken (read and zeroed) in one call.
class CounterV2 {
 public:
  virtual u64 add(u64 n) = 0;           // the calling CPU's new count
  virtual u64 countOf(unsigned cpu) = 0;
  virtual u64 total() = 0;
  virtual u64 take(unsigned cpu) = 0;   // the CPU's count, now 0
  virtual u64 classVersion() = 0;

 protected:
  ~CounterV2() = default;
};
constexpr const char* kCounterV2Class = "CounterV2";

// The process whose interface process_batch_interface changes, and the
// region region_free_chunks_cannot tries to replace (both the test's).
extern "C" u32 g_corpus_process_ref;
extern "C" u32 g_corpus_region_ref;
