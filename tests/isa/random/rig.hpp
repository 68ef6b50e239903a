// Random-instruction tests for the ppc64 instruction-set simulator (issue 2, test (b)).
//
// A seed determines a program of K test cases. Each case loads a random machine
// state (r0, r2-r31, CR, XER, LR, CTR, f0-f31, FPSCR and a 256-byte scratch
// buffer), runs a random straight-line sequence of instructions (with short
// forward branches, branches through LR/CTR and small bdnz loops), then writes
// one record to stdout: r0-r31, CR, XER, LR, CTR, f0-f31, FPSCR (8 bytes each,
// big-endian) followed by the 256-byte buffer. The same ELF runs under
// qemu-ppc64 and under dusim; the records must be byte-identical.
//
// Two profiles: `int`, the integer ISA with some floating point mixed in, and
// `fp`, mostly floating point on special-value operands.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rig {

constexpr int kBufSize = 256;
constexpr int kSlots = 69;  // r0-r31, CR, XER, LR, CTR, f0-f31, FPSCR
constexpr int kRegsSize = kSlots * 8;
constexpr int kRecordSize = kRegsSize + kBufSize;
constexpr int kCr = 32, kXer = 33, kLr = 34, kCtr = 35;  // slot numbers after the GPRs
constexpr int kF0 = 36, kFpscr = 68;                      // f0-f31, FPSCR

enum class Profile { Int, Fp };

// xoshiro256** seeded through splitmix64: the same numbers on every host and
// compiler (no std:: distributions, whose results are implementation-defined).
class Rng {
 public:
  explicit Rng(uint64_t seed);
  uint64_t next();
  uint64_t below(uint64_t n);           // uniform in [0, n)
  int64_t range(int64_t lo, int64_t hi);  // uniform in [lo, hi]
  bool chance(int percent);

 private:
  uint64_t s_[4];
};

// One instruction under test plus the instructions that must stay glued to it
// (those that normalise architecturally undefined results). lines[0] is the one
// a minimised report names.
struct Unit {
  std::vector<std::string> lines;
};

// A group is the granule of control flow: forward branches only land on group
// boundaries, so set-up instructions (pointer for a load, guards for a divide)
// always run together with the instruction they prepare.
// Placeholders in lines: %T = label of the branch target.
struct Group {
  std::vector<Unit> units;
  bool splittable = true;  // units may be run one at a time (no labels, no reservation)
  int skip = -1;           // >= 0: a forward branch to the start of group (index + 1 + skip)
  int count() const;       // instructions in the group
};

struct State {
  uint64_t slot[kSlots] = {};  // r0-r31, CR, XER, LR, CTR, f0-f31, FPSCR
  uint8_t buf[kBufSize] = {};
};

struct Case {
  // Register holding the address of the scratch buffer; never written. The program
  // loads it with the buffer's address whatever init.slot[base] says, and r1 with
  // the top of a stack of its own.
  int base = 31;
  State init;
  std::vector<Group> groups;
};

// Case `index` of program `seed`: a pure function of (seed, index, profile).
Case generate_case(uint64_t seed, int index, Profile profile = Profile::Int);

// Assembly text of a whole program, one record written per case.
std::string emit_program(const std::vector<Case>& cases);

// Reads one record (big-endian) into a State.
State parse_record(const uint8_t* p);

// Names of the register slots: "r0".."r31", "cr", "xer", "lr", "ctr", "f0".."f31", "fpscr".
std::string slot_name(int slot);

}  // namespace rig
