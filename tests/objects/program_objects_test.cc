// Guest test (label `objects`): a program's memory is memory objects
// (guest_os/objects/program_process.cc). Two runs of one file of the
// initial image (/prog, tests/objects/CMakeLists.txt puts a static program
// there): their text is the file's FCM, one frame per page for both; their
// data is a private copy each, their stack and brk heap a memory object
// each, their descriptors a file table each, and a futex table, a signal
// table, a clock and a console stream each; and when both are released,
// every object they made is gone.
#include "kernel/initrd.h"
#include "kernel/string.h"
#include "kernel/user.h"
#include "objects/fcm.h"
#include "objects/console_stream.h"
#include "objects/file_table.h"
#include "objects/futex_table.h"
#include "objects/program_clock.h"
#include "objects/signal_table.h"
#include "objects/process.h"
#include "kernel/ktest.h"

namespace {

u64 be64(const u8* b) {
  u64 v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | b[i];
  return v;
}

void run(unsigned index, user::Process** out) {
  char err[160];
  static const char* const argv[] = {"/prog", "10"};
  user::SpawnOptions o;
  o.index = index;
  o.argv = argv;
  o.argc = 2;
  o.echo = false;
  user::Process* p = user::spawn("/prog", o, err, sizeof err);
  KREQUIRE(p, "spawn: %s", err);
  KREQUIRE(user::wait(p) == 0, "the program's status is not 0");
  *out = p;
}

// How many futex tables, signal tables, clocks and console streams there are.
constexpr unsigned kOthers = 4;
const char* const kOtherNames[kOthers] = {"futex tables", "signal tables", "clocks", "console streams"};
u64 others(unsigned i) {
  switch (i) {
    case 0: return DREF_FACTORY_DEFAULT(FutexTable)->instances();
    case 1: return DREF_FACTORY_DEFAULT(SignalTable)->instances();
    case 2: return DREF_FACTORY_DEFAULT(ProgramClock)->instances();
    default: return DREF_FACTORY_DEFAULT(ConsoleStream)->instances();
  }
}

}  // namespace

KTEST(program_objects, "2") {
  initrd::File f;
  KREQUIRE(initrd::find("/prog", &f), "no /prog in the initial image");
  // ELFv1: e_entry is the entry's function descriptor, in the data
  // segment (.opd); its first doubleword is the code address, in the text.
  const uval desc = be64(f.data + 24);
  KREQUIRE(FCMFactory::CreateDefault() == kOk && ProcessSharedFactory::CreateDefault() == kOk, "factories");
  const u64 fcms0 = FCMFactory::factoryRef->instances();
  const u64 procs0 = DREF_FACTORY_DEFAULT(ProcessShared)->instances();
  KREQUIRE(FileTableFactory::CreateDefault() == kOk, "the file table factory");
  const u64 tables0 = DREF_FACTORY_DEFAULT(FileTable)->instances();
  KREQUIRE(FutexTableFactory::CreateDefault() == kOk && SignalTableFactory::CreateDefault() == kOk &&
               ProgramClockFactory::CreateDefault() == kOk && ConsoleStreamFactory::CreateDefault() == kOk,
           "the factories of a program's other objects");
  u64 others0[kOthers];
  for (unsigned i = 0; i < kOthers; ++i) others0[i] = others(i);

  user::Process *a = nullptr, *b = nullptr;
  run(0, &a);
  run(1, &b);
  KREQUIRE(a && b, "a run failed");
  // Each: a process object; an anonymous memory object, a private copy of
  // its data segment, its stack's and its heap's; and the file's FCM, once
  // for both.
  KREQUIRE(DREF_FACTORY_DEFAULT(ProcessShared)->instances() == procs0 + 2, "process objects: %lu, not %lu",
           DREF_FACTORY_DEFAULT(ProcessShared)->instances(), procs0 + 2);
  KREQUIRE(DREF_FACTORY_DEFAULT(FileTable)->instances() == tables0 + 2, "file tables: %lu, not %lu",
           DREF_FACTORY_DEFAULT(FileTable)->instances(), tables0 + 2);
  for (unsigned i = 0; i < kOthers; ++i)
    KREQUIRE(others(i) == others0[i] + 2, "%s: %lu, not %lu", kOtherNames[i], others(i), others0[i] + 2);
  KREQUIRE(FCMFactory::factoryRef->instances() == fcms0 + 9, "FCMs: %lu, not %lu", FCMFactory::factoryRef->instances(),
           fcms0 + 9);
  // The stack (argc at its top) and the heap (printf's buffer came from
  // malloc, so brk grew it): their own memory objects, one frame each.
  user::PageInfo sa = user::page_info(a, user::kStackTop - 8), sb = user::page_info(b, user::kStackTop - 8);
  KREQUIRE(sa.frame && sa.memory == 4 && sb.memory == 4 && sa.writable && sa.frame != sb.frame,
           "the stack is not a memory object of its own (memory %u, %u)", sa.memory, sb.memory);
  user::PageInfo ha = user::page_info(a, user::heap_start(a));
  KREQUIRE(ha.frame && ha.memory == 5 && ha.writable, "the heap is not a memory object of its own (memory %u)", ha.memory);

  user::PageInfo da = user::page_info(a, desc), db = user::page_info(b, desc);
  KREQUIRE(da.frame && db.frame, "the entry descriptor has no page");
  KREQUIRE(da.memory == 3 && db.memory == 3, "the data segment is not a private copy (memory %u, %u)", da.memory,
           db.memory);
  // .opd lies in the segment's RELRO part, which glibc's start-up made
  // read-only (mprotect): the area split, this page of it read-only.
  KREQUIRE(!da.writable, "the RELRO page is still writable after the program's mprotect");
  KREQUIRE(da.frame != db.frame, "two runs share a data page");
  const uval code = be64(reinterpret_cast<const u8*>(da.frame + (desc & 0xfff)));
  user::PageInfo ta = user::page_info(a, code), tb = user::page_info(b, code);
  KREQUIRE(ta.frame && ta.memory == 2 && tb.memory == 2 && !ta.writable, "the text is not the file's FCM (memory %u)",
           ta.memory);
  KREQUIRE(ta.frame == tb.frame, "two runs of one file have their own text frames");
  // The page holds the file's bytes: those of the segment holding `code`.
  const u64 phoff = be64(f.data + 32);
  const unsigned phnum = unsigned(f.data[56]) << 8 | f.data[57];
  bool found = false;
  for (unsigned i = 0; i < phnum && !found; ++i) {
    const u8* ph = f.data + phoff + i * 56;
    const u64 off = be64(ph + 8), vaddr = be64(ph + 16), filesz = be64(ph + 32);
    if (ph[3] != 1 || code < vaddr || code >= vaddr + filesz) continue;
    const u64 page_off = (off + (code - vaddr)) & ~u64(0xfff);
    const u64 n = f.size - page_off < 4096 ? f.size - page_off : 4096;
    KREQUIRE(memcmp(reinterpret_cast<const void*>(ta.frame), f.data + page_off, n) == 0,
             "the text page is not the file's bytes at %lx", page_off);
    found = true;
  }
  KREQUIRE(found, "no loaded segment holds the entry point %lx", code);

  user::release(a);
  KREQUIRE(FCMFactory::factoryRef->instances() == fcms0 + 5, "after one release: %lu FCMs, not %lu",
           FCMFactory::factoryRef->instances(), fcms0 + 5);
  user::release(b);
  KREQUIRE(FCMFactory::factoryRef->instances() == fcms0, "after both: %lu FCMs, not %lu", FCMFactory::factoryRef->instances(),
           fcms0);
  KREQUIRE(DREF_FACTORY_DEFAULT(ProcessShared)->instances() == procs0, "after both: %lu process objects, not %lu",
           DREF_FACTORY_DEFAULT(ProcessShared)->instances(), procs0);
  KREQUIRE(DREF_FACTORY_DEFAULT(FileTable)->instances() == tables0, "after both: %lu file tables, not %lu",
           DREF_FACTORY_DEFAULT(FileTable)->instances(), tables0);
  for (unsigned i = 0; i < kOthers; ++i)
    KREQUIRE(others(i) == others0[i], "after both: %lu %s, not %lu", others(i), kOtherNames[i], others0[i]);
}
