// iostream.cc — C++ streams of integers, characters and strings: manipulators,
// widths and fills, bases, string streams, std::endl flushing.
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>

int main() {
  const long long values[] = {0, 1, -1, 42, -1000, 65535, 2147483647LL, -2147483648LL,
                              std::numeric_limits<long long>::max(), std::numeric_limits<long long>::min()};
  for (long long v : values) {
    std::cout << v << ' ' << std::hex << v << ' ' << std::oct << v << std::dec << ' ' << std::setw(22) << v << '|'
              << std::left << std::setw(22) << v << std::right << '|' << std::setfill('0') << std::setw(8)
              << static_cast<int>(v & 0xffff) << std::setfill(' ') << '\n';
  }
  std::cout << std::showbase << std::hex << 255 << ' ' << std::uppercase << 255 << std::nouppercase << std::dec
            << std::noshowbase << '\n';
  std::cout << std::boolalpha << true << ' ' << false << std::noboolalpha << ' ' << true << '\n';
  std::cout << 'c' << ' ' << static_cast<int>('c') << ' ' << std::string("a string") << ' ' << "a literal" << '\n';
  std::uint8_t small = 65;
  std::cout << small << ' ' << +small << '\n';

  std::ostringstream os;
  os << "built " << 12 << '-' << std::setw(5) << 34;
  std::cout << '[' << os.str() << "] length " << os.str().size() << '\n';
  std::istringstream is("10 20 abc 30");
  int a = 0, b = 0, c = 0;
  std::string word;
  is >> a >> b >> word >> c;
  std::cout << a + b + c << ' ' << word << '\n';
  std::istringstream bad("xyz");
  int n = 5;
  bad >> n;
  std::cout << "failed read: fail=" << bad.fail() << " value=" << n << '\n';
  std::string line;
  std::istringstream lines("first line\nsecond line\n");
  while (std::getline(lines, line)) std::cout << "line: " << line << std::endl;
  std::cerr << "to cerr" << std::endl;
  std::clog << "to clog" << std::endl;
  return 0;
}
