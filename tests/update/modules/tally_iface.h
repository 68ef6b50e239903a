// A tally service's interface, version 1 and version 2, shared by the guest
// test that runs clients of both (tests/update/adapter_test.cc) and the
// module that changes the interface (tally_v2_module.cc). Version 2 changes
// add's signature (a client tag, so the service counts each client's
// calls), drops echo and adds calls(tag).
#pragma once

#include "objects/object_table.h"

class TallyV1 {
 public:
  virtual u64 add(u64 n) = 0;     // the new total
  virtual u64 echo(u64 x) = 0;    // x ^ kTallyEchoKey
  virtual u64 value() = 0;

 protected:
  ~TallyV1() = default;
};

class TallyV2 {
 public:
  virtual u64 add(u64 n, u32 tag) = 0;  // the new total
  virtual u64 value() = 0;
  virtual u64 calls(u32 tag) = 0;       // add calls made with `tag`

 protected:
  ~TallyV2() = default;
};

constexpr u64 kTallyEchoKey = 0x7a11;
constexpr u32 kTallyTags = 4;
constexpr u32 kTagAdapter = 0;  // calls from old clients, through the adapter
constexpr u32 kTagDirect = 1;   // calls from clients of the new interface
// The state both versions transfer (kXferCopyV0): the running total.
struct TallyState {
  u64 value;
};

// The test's tally: its reference, for the module (resolved by the loader).
extern "C" u32 g_tally_ref;
