// exceptions.cc — C++ exceptions through the unwinder (which saves and
// restores floating-point registers on ppc64): throw and catch across frames,
// the std::exception hierarchy, rethrow, nested exceptions, destructors
// while unwinding, noexcept, and exceptions crossing a std::function.
#include <functional>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

static int live = 0;
struct Guard {
  std::string name;
  explicit Guard(std::string n) : name(std::move(n)) { ++live; }
  ~Guard() {
    --live;
    std::cout << "  ~Guard(" << name << ")\n";
  }
};

struct MyError : std::runtime_error {
  int code;
  MyError(const std::string& what, int c) : std::runtime_error(what), code(c) {}
};

static int depth_throw(int n) {
  Guard g("depth " + std::to_string(n));
  if (n == 0) throw MyError("bottom reached", 42);
  return depth_throw(n - 1) + 1;
}

int main() {
  try {
    depth_throw(3);
  } catch (const MyError& e) {
    std::cout << "caught MyError: " << e.what() << " code " << e.code << ", live guards " << live << '\n';
  }
  try {
    throw std::out_of_range("index 7");
  } catch (const std::logic_error& e) {
    std::cout << "caught as logic_error: " << e.what() << '\n';
  }
  try {
    std::vector<int> v(3);
    v.at(10) = 1;
  } catch (const std::out_of_range&) {
    std::cout << "vector::at threw out_of_range\n";
  }
  try {
    try {
      throw 17;
    } catch (int x) {
      std::cout << "caught int " << x << ", rethrowing\n";
      throw;
    }
  } catch (int x) {
    std::cout << "caught the rethrown int " << x << '\n';
  }
  try {
    try {
      throw std::invalid_argument("inner");
    } catch (...) {
      std::throw_with_nested(std::runtime_error("outer"));
    }
  } catch (const std::runtime_error& e) {
    std::cout << "outer: " << e.what();
    try {
      std::rethrow_if_nested(e);
    } catch (const std::invalid_argument& in) {
      std::cout << ", nested: " << in.what() << '\n';
    }
  }
  std::function<void(int)> f = [](int k) {
    if (k > 2) throw std::string("from a lambda: " + std::to_string(k));
  };
  for (int k = 0; k < 5; ++k) {
    try {
      f(k);
      std::cout << "f(" << k << ") fine\n";
    } catch (const std::string& s) {
      std::cout << s << '\n';
    }
  }
  try {
    auto p = std::make_unique<Guard>("heap");
    throw std::bad_alloc();
  } catch (const std::exception& e) {
    std::cout << "caught std::exception (" << (std::string(e.what()).empty() ? "no text" : "with text")
              << "), live guards " << live << '\n';
  }
  std::exception_ptr saved;
  try {
    throw MyError("kept for later", 5);
  } catch (...) {
    saved = std::current_exception();
  }
  try {
    std::rethrow_exception(saved);
  } catch (const MyError& e) {
    std::cout << "rethrown from exception_ptr: " << e.what() << ' ' << e.code << '\n';
  }
  auto no_throw = []() noexcept { return 1; };
  std::cout << "noexcept lambda: " << noexcept(no_throw()) << ' ' << no_throw() << '\n';
  return 0;
}
