// iostream_double.cc — C++ streams of floating point: default, fixed,
// scientific, precision, hexfloat, parsing, std::to_string and std::stod.
#include <cmath>
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>

int main() {
  const double values[] = {0.0, -0.0, 1.0, 0.1, 1.0 / 3, 2.5, -2.5, 123456789.125, 1e-7, 6.02214076e23,
                           std::numeric_limits<double>::max(), std::numeric_limits<double>::denorm_min(), M_PI};
  for (double v : values) {
    std::cout << v << " | " << std::fixed << std::setprecision(3) << v << " | " << std::scientific << v << " | "
              << std::defaultfloat << std::setprecision(17) << v << " | " << std::hexfloat << v << std::defaultfloat
              << std::setprecision(6) << '\n';
  }
  std::cout << std::numeric_limits<double>::infinity() << ' ' << -std::numeric_limits<double>::infinity() << ' '
            << std::numeric_limits<double>::quiet_NaN() << '\n';
  float f = 3.14159265f;
  std::cout << f << ' ' << std::setprecision(10) << f << std::setprecision(6) << '\n';
  std::istringstream in("3.5 -1e-3 2.0e10 nope");
  double a = 0, b = 0, c = 0, d = 7;
  in >> a >> b >> c >> d;
  std::cout << a + b + c << " failed=" << in.fail() << ' ' << d << '\n';
  std::cout << std::to_string(1.5) << ' ' << std::stod("2.75") * 2 << ' ' << std::sqrt(2.0) << '\n';
  double acc = 0;
  for (int k = 0; k < 100; ++k) acc += std::sin(k * 0.1) * std::exp(-k * 0.01);
  std::cout << std::setprecision(15) << acc << '\n';
  return 0;
}
