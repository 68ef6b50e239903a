// A program's standard output and error (kernel/user.cc's writes to a
// console descriptor go through it): the bytes go to the console, unless
// the program runs quiet, and are counted with an FNV-1a 64 digest for its
// report (PROGRAM_END's output bytes and digest).
//
//   ConsoleStreamShared  one representative: each write's bytes to the
//                        console as they come, the count and digest under
//                        one lock.
//
// Made and tracked by ConsoleStreamFactory
// (DREF_FACTORY_DEFAULT(ConsoleStream)), so a class update reaches every
// running program's stream. State transfer: kXferCopyV0
// (ConsoleStreamState): whether it echoes, the count, the digest, and
// bytes a class holds back (a partial line) that the new one must write.
//
// Locking: the stream's spinlock (interrupts off) around the count and
// digest; the console has its own.
#pragma once

#include "kernel/spinlock.h"
#include "kernel/user.h"
#include "objects/object_table.h"
#include "update/factory.h"
#include "update/state_transfer.h"

class ConsoleStream {
 public:
  // n bytes the program wrote (a kernel copy of them; n <= 256).
  virtual void write(const char* bytes, u64 n) = 0;
  // Everything written so far: its length and digest (FNV-1a 64).
  virtual void totals(u64* bytes, u64* digest) = 0;
  // The program has ended: anything held back goes to the console.
  virtual void flush() = 0;

 protected:
  ~ConsoleStream() = default;
};

constexpr u64 kConsoleDigestStart = 0xcbf29ce484222325ull;  // FNV-1a 64's offset basis
inline u64 console_digest(u64 d, const char* bytes, u64 n) {
  for (u64 i = 0; i < n; ++i) d = (d ^ u8(bytes[i])) * 0x100000001b3ull;
  return d;
}

struct ConsoleStreamState {
  bool echo;
  u64 bytes, digest;
  u32 held;        // bytes written (counted) but not yet on the console
  char hold[256];  // (a class that holds none exports 0)
};

class ConsoleStreamShared final : public obj::SingleRep<ConsoleStream> {
 public:
  explicit ConsoleStreamShared(bool echo = true) : echo_(echo) {}
  void write(const char* bytes, u64 n) override;
  void totals(u64* bytes, u64* digest) override;
  void flush() override {}
  u64 export_formats() override { return obj::kXferCopyV0; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus export_state(u64 format, obj::StateBuffer& out) override;
  SysStatus import_state(u64 format, obj::StateBuffer& in) override;
  void destroy(bool) override { delete this; }
  const char* class_name() const override { return "ConsoleStreamShared"; }

 private:
  SpinLock lock_;
  bool echo_;
  u64 bytes_ = 0, digest_ = kConsoleDigestStart;
};

// Not final: its reference is ObjRef<ConsoleStreamFactory> (objref_calls.sh).
class ConsoleStreamFactory : public obj::Factory {
 public:
  static SysStatus CreateDefault();  // version 0 at first use (idempotent)
  virtual SysStatus create(obj::ObjRef<ConsoleStream>& out, bool echo);
  virtual void destroyStream(obj::ObjRef<ConsoleStream> ref) { destroy_instance(ref.idx); }
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return new ConsoleStreamShared(); }
  const char* class_name() const override { return "ConsoleStreamFactory"; }
  static obj::ObjRef<ConsoleStreamFactory> factoryRef;

 protected:
  explicit ConsoleStreamFactory(u64 version) : Factory(version) {}
};

#ifndef DREF_FACTORY_DEFAULT
#define DREF_FACTORY_DEFAULT(cls) (cls##Factory::factoryRef)
#endif
