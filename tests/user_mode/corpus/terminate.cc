// terminate.cc — an uncaught exception: std::terminate prints the type and
// what() to stderr and aborts (a shell sees 134).
#include <iostream>
#include <stdexcept>

static void fail() { throw std::runtime_error("nobody catches this"); }

int main() {
  std::cout << "before the throw" << std::endl;
  fail();
  std::cout << "not reached\n";
  return 0;
}
