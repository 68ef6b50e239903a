// How a direct run (run-elf, run-bare) ended, as the tool's exit code
// (README.md, "Exit codes").
#pragma once

#include <string>

namespace dusim::direct {

enum class Ending {
  GuestExit,  // the program exited, or the guest powered off: its own code
  Limit,      // an instruction or time limit: kLimitReached, `limit_message` printed
  Fault,      // kGuestFault, the fault report printed
};

int exit_code_for(Ending how, int guest_code, const std::string& fault_report, const std::string& limit_message);

}  // namespace dusim::direct
