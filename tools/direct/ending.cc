#include "direct/ending.h"

#include <cstdio>

#include "exit_codes.h"

namespace dusim::direct {

int exit_code_for(Ending how, int guest_code, const std::string& fault_report, const std::string& limit_message) {
  switch (how) {
    case Ending::GuestExit:
      return guest_code;
    case Ending::Limit:
      std::fprintf(stderr, "dusim: %s\n", limit_message.c_str());
      return exit_code::kLimitReached;
    case Ending::Fault:
      std::fputs(fault_report.c_str(), stderr);
      return exit_code::kGuestFault;
  }
  return exit_code::kSuccess;
}

}  // namespace dusim::direct
