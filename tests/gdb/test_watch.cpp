// Breakpoint and watchpoint sets, the watching MemTarget (traps before the
// access, withholds fast-path grants for watched blocks) and restarting a
// trapped store-conditional, on a real Cpu.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "cpu_ppc64/cpu.h"
#include "gdb/debug_points.h"
#include "gdb/watched_memory.h"

namespace dusim::gdb {
namespace {

using ppc::Access;

TEST(DebugPoints, Breakpoints) {
  DebugPoints p;
  EXPECT_FALSE(p.has_breakpoints());
  p.insert_breakpoint(0x1000);
  p.insert_breakpoint(0x1100);  // same filter bit as 0x1000
  EXPECT_TRUE(p.breakpoint_at(0x1000));
  EXPECT_TRUE(p.breakpoint_at(0x1100));
  EXPECT_FALSE(p.breakpoint_at(0x1004));
  EXPECT_FALSE(p.breakpoint_at(0x1200));
  EXPECT_TRUE(p.remove_breakpoint(0x1000));
  EXPECT_FALSE(p.remove_breakpoint(0x1000));
  EXPECT_FALSE(p.breakpoint_at(0x1000));
  EXPECT_TRUE(p.breakpoint_at(0x1100));
  p.clear();
  EXPECT_FALSE(p.has_breakpoints());
}

TEST(DebugPoints, WatchpointKindsAndOverlap) {
  DebugPoints p;
  p.insert_watchpoint(0x2000, 4, WatchKind::Write);
  p.insert_watchpoint(0x3000, 8, WatchKind::Read);
  p.insert_watchpoint(0x4000, 1, WatchKind::Access);
  EXPECT_TRUE(p.triggered(0x2000, 4, true));
  EXPECT_TRUE(p.triggered(0x1ffc, 8, true));   // overlaps the first byte
  EXPECT_TRUE(p.triggered(0x2003, 1, true));
  EXPECT_FALSE(p.triggered(0x2004, 4, true));  // just past
  EXPECT_FALSE(p.triggered(0x1ffc, 4, true));  // just before
  EXPECT_FALSE(p.triggered(0x2000, 4, false)); // a read of a write watch
  EXPECT_TRUE(p.triggered(0x3004, 4, false));
  EXPECT_FALSE(p.triggered(0x3004, 4, true));
  EXPECT_TRUE(p.triggered(0x4000, 8, false));
  EXPECT_TRUE(p.triggered(0x3ff8, 16, true));
  // Grants: a read grant matters only to read-triggering watchpoints.
  EXPECT_FALSE(p.blocks_grant(0x2000, 0x1000, false));
  EXPECT_TRUE(p.blocks_grant(0x2000, 0x1000, true));
  EXPECT_TRUE(p.blocks_grant(0x3000, 0x1000, false));
  EXPECT_FALSE(p.blocks_grant(0x5000, 0x1000, true));
  EXPECT_FALSE(p.remove_watchpoint(0x2000, 4, WatchKind::Read));
  EXPECT_TRUE(p.remove_watchpoint(0x2000, 4, WatchKind::Write));
  EXPECT_FALSE(p.triggered(0x2000, 4, true));
}

TEST(DebugPoints, NearTheTopOfTheAddressSpace) {
  DebugPoints p;
  p.insert_watchpoint(~uint64_t(0) - 7, 8, WatchKind::Access);
  EXPECT_TRUE(p.triggered(~uint64_t(0) - 3, 4, false));
  EXPECT_FALSE(p.triggered(0, 8, false));
}

// 64 KiB of flat memory at address 0 that grants 4 KiB pages.
class FlatMemory final : public ppc::MemTarget {
 public:
  ppc::AccessResult access(unsigned, uint64_t addr, unsigned size, Access kind, uint8_t* data) override {
    ++accesses;
    ppc::AccessResult r;
    if (addr + size > bytes.size()) return r;
    r.ok = true;
    if (kind == Access::Read || kind == Access::Fetch) std::memcpy(data, &bytes[addr], size);
    if (kind == Access::Write) std::memcpy(&bytes[addr], data, size);
    if (kind == Access::Read || kind == Access::Write) r.grant = &bytes[addr & ~uint64_t(0xfff)];
    return r;
  }
  void put32(uint64_t addr, uint32_t v) { ppc::to_be<uint32_t>(&bytes[addr], v); }
  std::vector<uint8_t> bytes = std::vector<uint8_t>(0x10000);
  int accesses = 0;
};

TEST(WatchedMemory, TrapsBeforeTheAccessAndWithholdsGrants) {
  FlatMemory mem;
  DebugPoints p;
  WatchedMemory w(mem, p, 128);
  uint8_t buf[8] = {1, 2, 3, 4};
  EXPECT_NE(w.access(0, 0x2000, 4, Access::Write, buf).grant, nullptr);  // nothing watched

  p.insert_watchpoint(0x2004, 4, WatchKind::Write);
  int before = mem.accesses;
  try {
    w.access(3, 0x2000, 8, Access::Write, buf);
    FAIL() << "no trap";
  } catch (const WatchpointHit& h) {
    EXPECT_EQ(h.cpu, 3u);
    EXPECT_EQ(h.addr, 0x2004u);  // the first watched byte touched
    EXPECT_EQ(h.kind, WatchKind::Write);
  }
  EXPECT_EQ(mem.accesses, before);  // the access did not happen
  EXPECT_EQ(w.access(0, 0x2000, 4, Access::Write, buf).grant, nullptr);  // same page: no write grant
  EXPECT_NE(w.access(0, 0x2000, 4, Access::Read, buf).grant, nullptr);   // reads may stay fast
  EXPECT_NE(w.access(0, 0x3000, 4, Access::Write, buf).grant, nullptr);  // other pages unaffected
  EXPECT_THROW(w.access(0, 0x2010, 0, Access::BlockZero, nullptr), WatchpointHit);  // dcbz of its block
  EXPECT_NO_THROW(w.access(0, 0x2004, 4, Access::Fetch, buf));
}

// Enough of an environment for a CPU in user mode.
class NoEnv final : public ppc::CpuEnv {
 public:
  void system_call(ppc::Cpu&) override {}
  uint64_t timebase(const ppc::Cpu&) override { return 0; }
};

TEST(WatchedMemory, ATrappedStoreConditionalRunsAgainAndSucceeds) {
  FlatMemory mem;
  mem.put32(0x1000, 0x7CA02028);  // lwarx  r5,0,r4
  mem.put32(0x1004, 0x7CC0212D);  // stwcx. r6,0,r4
  DebugPoints p;
  WatchedMemory w(mem, p, 128);
  NoEnv env;
  ppc::CodeCache code;
  ppc::Cpu cpu(0, code, env);
  cpu.mem.attach(&w, 0, 12, &cpu.stall_cycles);
  cpu.pc = 0x1000;
  cpu.gpr[4] = 0x2000;
  cpu.gpr[6] = 0x12345678;

  cpu.run(cpu.cycles + 1);  // lwarx
  ASSERT_EQ(cpu.pc, 0x1004u);
  ASSERT_TRUE(cpu.resv_valid);
  p.insert_watchpoint(0x2000, 4, WatchKind::Write);
  cpu.mem.flush();
  bool trapped = false;
  try {
    cpu.run(cpu.cycles + 1);
  } catch (const WatchpointHit&) {
    trapped = true;
    make_restartable(cpu);
  }
  ASSERT_TRUE(trapped);
  EXPECT_EQ(cpu.pc, 0x1004u);  // still at the store-conditional
  EXPECT_TRUE(cpu.resv_valid);
  EXPECT_EQ(ppc::from_be<uint32_t>(&mem.bytes[0x2000]), 0u);

  p.clear();  // as GDB does: remove the watchpoint, step over the instruction
  cpu.run(cpu.cycles + 1);
  EXPECT_EQ(cpu.pc, 0x1008u);
  EXPECT_EQ(ppc::from_be<uint32_t>(&mem.bytes[0x2000]), 0x12345678u);
  EXPECT_TRUE(cpu.cr_bit(2));  // CR0[EQ]: the store-conditional succeeded
}

}  // namespace
}  // namespace dusim::gdb
