// Whole lines on the console: a new class of console stream
// (objects/console_stream.h) and a factory behind the ConsoleStream
// reference that makes it. ConsoleStreamShared puts each write's bytes on
// the console as they come, so a program that writes a line in parts (or
// several threads writing at once) has its lines cut by other programs'
// and the kernel's output between the parts. Here a stream holds a
// partial line back until its newline (or until 256 bytes are held) and
// puts it on the console whole, under the stream's lock. What a program
// wrote is counted and digested as it comes, as before: the report's
// bytes and digest do not change.
//
// The class update swaps the factory, then every program's stream: the
// count, the digest, whether it echoes and (from a stream of this class)
// the held bytes arrive by kXferCopyV0 (ConsoleStreamState); the old
// class holds none. At the program's end (flush) what is held goes out.
#include "kernel/console.h"
#include "kernel/string.h"
#include "objects/console_stream.h"
#include "update/dynamic_update.h"

class ConsoleStreamLines final : public obj::SingleRep<ConsoleStream> {
 public:
  explicit ConsoleStreamLines(bool echo = true) : echo_(echo) {}
  void write(const char* bytes, u64 n) override {
    SpinGuard g(lock_);
    bytes_ += n;
    digest_ = console_digest(digest_, bytes, n);
    if (!echo_) return;
    while (n) {
      u64 k = 0;
      while (k < n && bytes[k] != '\n') ++k;
      const bool line_end = k < n;
      if (line_end) ++k;
      const u64 room = sizeof hold_ - held_;
      if (k > room) k = room;
      memcpy(hold_ + held_, bytes, k);
      held_ += u32(k);
      if ((line_end && hold_[held_ - 1] == '\n') || held_ == sizeof hold_) put_locked();
      bytes += k;
      n -= k;
    }
  }
  void totals(u64* bytes, u64* digest) override {
    SpinGuard g(lock_);
    *bytes = bytes_;
    *digest = digest_;
  }
  void flush() override {
    SpinGuard g(lock_);
    put_locked();
  }

  u64 export_formats() override { return obj::kXferCopyV0; }
  u64 import_formats() override { return obj::kXferCopyV0; }
  SysStatus export_state(u64 format, obj::StateBuffer& out) override {
    if (format != obj::kXferCopyV0) return kErrInvalid;
    auto* s = static_cast<ConsoleStreamState*>(out.alloc(sizeof(ConsoleStreamState)));
    if (!s) return kErrNoMemory;
    s->echo = echo_;
    s->bytes = bytes_;
    s->digest = digest_;
    s->held = held_;
    memcpy(s->hold, hold_, held_);
    return kOk;
  }
  SysStatus import_state(u64 format, obj::StateBuffer& in) override {
    if (format != obj::kXferCopyV0) return kErrInvalid;
    const auto* s = static_cast<const ConsoleStreamState*>(in.data);
    if (s->held > sizeof hold_) return kErrInvalid;
    echo_ = s->echo;
    bytes_ = s->bytes;
    digest_ = s->digest;
    held_ = s->held;
    memcpy(hold_, s->hold, held_);
    return kOk;
  }
  void destroy(bool) override { delete this; }
  const char* class_name() const override { return "ConsoleStreamLines"; }

 private:
  void put_locked() {
    if (held_) console_write(hold_, held_);
    held_ = 0;
  }
  SpinLock lock_;
  bool echo_;
  u64 bytes_ = 0, digest_ = kConsoleDigestStart;
  u32 held_ = 0;
  char hold_[256];
};

class ConsoleStreamFactory_Lines final : public ConsoleStreamFactory {
 public:
  ConsoleStreamFactory_Lines() : ConsoleStreamFactory(1) {}
  SysStatus create(obj::ObjRef<ConsoleStream>& out, bool echo) override {
    return adopt(new ConsoleStreamLines(echo), out.idx);
  }
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return new ConsoleStreamLines(); }
  const char* class_name() const override { return "ConsoleStreamFactory_Lines"; }
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  auto* f = new ConsoleStreamFactory_Lines();
  if (!f) return 1;
  return upd::update_class(ctx, DREF_FACTORY_DEFAULT(ConsoleStream).idx, f) == kOk ? 0 : 1;
}
