// AddressSanitizer and SystemC's coroutines (tests/fuzz/README.md,
// "Sanitizers"). libsystemc (2.3.4, QuickThreads) tells ASan about each
// switch between coroutine stacks (weak __sanitizer_start_switch_fiber /
// __sanitizer_finish_switch_fiber calls), but gives it wrong bounds for the
// main stack: after sc_start returns, ASan believes the main thread's stack
// is empty (0 + 0) or is the last coroutine's (256 KiB elsewhere). Every
// exception thrown on the main stack then skips __asan_handle_no_return's
// unpoisoning ("ASan is ignoring requested __asan_handle_no_return"), the
// unwound frames' scope poison stays behind, and a later interceptor that
// writes there (its own sigaltstack call at the next throw) reports a
// stack-use-after-scope that is not one. After sc_start returns we are on
// the main stack: one annotated "switch" from it to itself, with its true
// bounds, puts ASan right. A no-op without ASan.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define DUSIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DUSIM_ASAN 1
#endif
#endif

#ifdef DUSIM_ASAN
#include <pthread.h>
#include <sanitizer/common_interface_defs.h>
#endif

namespace dusim {

// Call on the main stack, outside any coroutine (after sc_start returns).
inline void asan_back_on_main_stack() {
#ifdef DUSIM_ASAN
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
  void* low = nullptr;
  size_t size = 0;
  int err = pthread_attr_getstack(&attr, &low, &size);
  pthread_attr_destroy(&attr);
  if (err != 0) return;
  void* fake_stack = nullptr;
  __sanitizer_start_switch_fiber(&fake_stack, low, size);
  __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
#endif
}

}  // namespace dusim
