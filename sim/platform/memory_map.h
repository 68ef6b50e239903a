// The machine's physical address space as the CPUs see it: a table of
// devices, each a {base, size, device} built by the Machine's constructor,
// and RAM behind the coherent memory hierarchy everywhere else. It is every
// CPU's memory target (the slow path of its MemPort), every CPU's coherence
// listener, and the host's way to write guest memory (mailbox, debugger).
//
// RAM: reads and writes go through the cache model (if enabled), which says
// what they cost and whether the CPU may serve further accesses to the block
// on its fast path; stores to predecoded code send its slots back to the
// decoder; lwarx reservations are lost when another CPU may write the
// granule. Devices: 64-bit big-endian registers at 8-byte offsets
// (devices/device.h); accesses cost nothing beyond the instruction.
//
// Order (machine.sync_policy: ordered): before an access through which CPUs
// interact (interacts()), the issuing CPU waits for SystemC time to reach its
// local time; every other CPU is then at or past that time, and each does
// the same, so those accesses happen in the order of the CPUs' local times.
// Lines that move between CPUs are kept off the fast path while they do
// (contended()), so every access to them is ordered, hits included.
//
// Locking and synchronization: none. The CPUs run in SystemC threads of one
// host thread, so one access at a time comes in.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "cache_coherence/memory_system.h"
#include "cpu_ppc64/code_cache.h"
#include "cpu_ppc64/mem_port.h"
#include "devices/device.h"
#include "devices/mailbox.h"
#include "memory/phys_memory.h"
#include "platform/cpu_module.h"
#include "platform/machine_config.h"

namespace dusim {

class MemoryMap final : public ppc::MemTarget, public coherence::CoherenceListener, public MemoryWriter {
 public:
  // `msys` is null without a cache model; `cpus` may fill in later.
  MemoryMap(const MachineConfig& cfg, PhysMemory& mem, ppc::CodeCache& code, coherence::MemorySystem* msys,
            const std::vector<std::unique_ptr<CpuModule>>& cpus);

  // Maps `device` at [base, base + size); its registers are at offsets from base.
  void add_device(uint64_t base, uint64_t size, Device& device);
  // log2 of the block a fast-path grant covers: a cache line, or a page without caches.
  unsigned block_shift() const { return block_shift_; }

  // MemTarget
  ppc::AccessResult access(unsigned cpu, uint64_t addr, unsigned size, ppc::Access kind, uint8_t* data) override;
  // CoherenceListener
  void revoke(int cpu, uint64_t line_addr, bool keep_read) override;
  // MemoryWriter
  bool host_write(uint64_t addr, const uint8_t* data, uint64_t len) override;

  // The code cache's callback: a page now holds predecoded code, so no CPU
  // may write it on its fast path.
  void code_page_created(uint64_t page);
  // Hands the CPUs' fast-path hit counts to the cache statistics.
  void flush_fast_hit_counts();
  // Called for every CPU a tlbie reaches (issuer, receiver, RB, entries dropped): events.
  void set_tlbie_observer(std::function<void(unsigned, unsigned, uint64_t, unsigned)> f) { tlbie_observer_ = std::move(f); }
  // CPU `cpu`'s thread is about to wait for SystemC time at local time
  // `cycles` (the ordered policy's others_min reads it; CpuModule calls it
  // through CpuHost::suspending).
  void suspending(unsigned cpu, uint64_t cycles);
  // The smallest local time of the CPUs other than `cpu` (the largest
  // value when there are none). Computed once per slice of `cpu`'s thread:
  // while it runs, no other CPU does (CpuModule::resumes); from a
  // tournament tree of the times the CPUs had when they last suspended
  // (suspending()), in log2(N) steps instead of a scan of every CPU.
  uint64_t others_min(unsigned cpu);

 private:
  struct Mapping {
    uint64_t base, size;
    Device* device;
  };
  const Mapping* device_at(uint64_t addr) const;
  ppc::AccessResult device_access(const Mapping& m, unsigned cpu, uint64_t addr, unsigned size, ppc::Access kind,
                                  uint8_t* data);
  bool through_caches(unsigned cpu, uint64_t addr, unsigned size, bool write, ppc::AccessResult& r);
  ppc::AccessResult ram_read(unsigned cpu, uint64_t addr, unsigned size, uint8_t* host, uint8_t* data);
  ppc::AccessResult ram_write(unsigned cpu, uint64_t addr, unsigned size, uint8_t* host, const uint8_t* data);
  ppc::AccessResult block_op(unsigned cpu, uint64_t addr, ppc::Access kind);
  ppc::AccessResult block_zero(unsigned cpu, uint64_t addr);
  ppc::AccessResult tlb_invalidate(unsigned cpu, uint64_t rb);
  ppc::AccessResult pte_update(unsigned cpu, uint64_t addr, ppc::PteUpdate& u);
  // The part of an access's latency beyond `already` (its class latency),
  // charged to the CPU by cause and by registered range.
  void charge(unsigned cpu, uint64_t addr, const coherence::AccessOutcome& o, unsigned already, ppc::AccessResult& r);
  unsigned class_latency(ppc::InsnClass k) const { return cfg_.latency[size_t(k)]; }
  void clear_reservations(unsigned writer, uint64_t addr, unsigned size);
  // Ordered sync policy: whether the access takes effect where other CPUs
  // can see it or act on it (a bus transaction, a reservation, sync, a
  // device), so the CPU must first reach its own time (CpuModule::sync_to_local).
  bool interacts(unsigned cpu, uint64_t addr, unsigned size, ppc::Access kind) const;
  void order(unsigned cpu, bool device);
  // Ordered: a line that another CPU's access took away from a CPU is
  // contended; the fast path does not serve it (every access to it is
  // ordered) until kUncontendedCycles of the accessing CPU's local time have
  // passed since the last such steal. By simulated time, not by a count of
  // accesses: a line many CPUs read would otherwise stay contended for as
  // long as they take turns, more so the more CPUs there are. Returns
  // whether the line is (still) contended, and forgets it once it is not.
  bool contended(unsigned cpu, uint64_t addr);
  bool still_contended(unsigned cpu, uint64_t line) const;
  static constexpr uint64_t kUncontendedCycles = 10000;
  const MachineConfig& cfg_;
  PhysMemory& mem_;
  ppc::CodeCache& code_;
  coherence::MemorySystem* msys_;
  const std::vector<std::unique_ptr<CpuModule>>& cpus_;
  const unsigned block_shift_;
  std::vector<Mapping> devices_;
  uint64_t device_lo_ = ~uint64_t(0), device_hi_ = 0;  // the span of all devices, for a quick test
  const bool ordered_;
  int issuer_ = -1;  // the CPU whose access is in the memory system (revoke() is about another's copy)
  std::unordered_map<uint64_t, uint64_t> contended_;  // line address -> the stealer's local time at the last steal
  std::function<void(unsigned, unsigned, uint64_t, unsigned)> tlbie_observer_;
  struct {
    unsigned cpu = ~0u;
    uint64_t resumes = 0, min = 0;
  } others_min_;  // others_min's cache
  // others_min's tournament tree: leaves (from leaves_) hold each CPU's
  // local time when it last suspended (0 until then: a CPU that has not
  // published yet only makes the others wait more), each inner node the
  // least of its two children; unused leaves hold the largest value.
  std::vector<uint64_t> times_;
  size_t leaves_ = 0;
  void build_times();
};

}  // namespace dusim
