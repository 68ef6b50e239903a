#include "objects/console_stream.h"

#include "kernel/console.h"
#include "kernel/heap.h"

obj::ObjRef<ConsoleStreamFactory> ConsoleStreamFactory::factoryRef;

void ConsoleStreamShared::write(const char* bytes, u64 n) {
  if (echo_) console_write(bytes, n);
  SpinGuard g(lock_);
  bytes_ += n;
  digest_ = console_digest(digest_, bytes, n);
}

void ConsoleStreamShared::totals(u64* bytes, u64* digest) {
  SpinGuard g(lock_);
  *bytes = bytes_;
  *digest = digest_;
}

SysStatus ConsoleStreamShared::export_state(u64 format, obj::StateBuffer& out) {
  if (format != obj::kXferCopyV0) return kErrInvalid;
  auto* s = static_cast<ConsoleStreamState*>(out.alloc(sizeof(ConsoleStreamState)));
  if (!s) return kErrNoMemory;
  SpinGuard g(lock_);
  s->echo = echo_;
  s->bytes = bytes_;
  s->digest = digest_;
  s->held = 0;
  return kOk;
}

SysStatus ConsoleStreamShared::import_state(u64 format, obj::StateBuffer& in) {
  if (format != obj::kXferCopyV0) return kErrInvalid;
  const auto* s = static_cast<const ConsoleStreamState*>(in.data);
  if (s->held > sizeof s->hold) return kErrInvalid;
  {
    SpinGuard g(lock_);
    echo_ = s->echo;
    bytes_ = s->bytes;
    digest_ = s->digest;
  }
  if (echo_ && s->held) console_write(s->hold, s->held);  // (counted already)
  return kOk;
}

SysStatus ConsoleStreamFactory::CreateDefault() {
  return install_default(factoryRef.idx, []() -> obj::Factory* { return new ConsoleStreamFactory(0); });
}

SysStatus ConsoleStreamFactory::create(obj::ObjRef<ConsoleStream>& out, bool echo) {
  return adopt(new ConsoleStreamShared(echo), out.idx);
}
