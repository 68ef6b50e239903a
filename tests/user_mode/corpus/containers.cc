// containers.cc — the standard library's containers and algorithms:
// vector, deque, list, map, multimap, set, unordered_map, string, sorting,
// searching, and the allocator underneath them.
#include <algorithm>
#include <cstdint>
#include <deque>
#include <iostream>
#include <list>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

static std::uint64_t state = 1442695040888963407ull;
static std::uint32_t next() {
  state = state * 6364136223846793005ull + 1;
  return static_cast<std::uint32_t>(state >> 33);
}

int main() {
  std::vector<int> v;
  for (int i = 0; i < 5000; ++i) v.push_back(static_cast<int>(next() % 10000));
  std::vector<int> sorted = v;
  std::sort(sorted.begin(), sorted.end());
  std::cout << "sorted: " << sorted.front() << ".." << sorted.back() << " median " << sorted[2500] << '\n';
  std::stable_sort(v.begin(), v.end(), [](int a, int b) { return a % 100 < b % 100; });
  std::cout << "stable by last two digits: " << v[0] << ' ' << v[1] << ' ' << v[4999] << '\n';
  auto it = std::lower_bound(sorted.begin(), sorted.end(), 5000);
  std::cout << "lower_bound(5000) at " << (it - sorted.begin()) << ", sum "
            << std::accumulate(sorted.begin(), sorted.end(), 0LL) << '\n';
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::cout << "distinct " << sorted.size() << ", capacity at least size: " << (v.capacity() >= v.size()) << '\n';

  std::map<std::string, int> words;
  const char* text[] = {"the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", "the", "fox"};
  for (const char* w : text) ++words[w];
  for (const auto& [w, n] : words) std::cout << w << '=' << n << ' ';
  std::cout << '\n';
  std::multimap<int, std::string> by_count;
  for (const auto& [w, n] : words) by_count.emplace(n, w);
  std::cout << "most frequent: " << by_count.rbegin()->second << '\n';

  std::set<int> s(v.begin(), v.end());
  std::cout << "set size " << s.size() << " contains 1234: " << s.count(1234) << '\n';
  std::unordered_map<int, int> histogram;
  for (int x : v) ++histogram[x % 17];
  int total = 0;
  for (int k = 0; k < 17; ++k) total += histogram[k] * k;
  std::cout << "histogram weighted " << total << ", buckets " << (histogram.bucket_count() > 0) << '\n';

  std::deque<int> dq;
  for (int i = 0; i < 100; ++i) i % 2 ? dq.push_back(i) : dq.push_front(i);
  std::cout << "deque " << dq.front() << ' ' << dq.back() << ' ' << dq[50] << '\n';
  std::list<int> l(v.begin(), v.begin() + 20);
  l.sort();
  l.reverse();
  std::cout << "list head " << l.front() << " tail " << l.back() << '\n';

  std::string str = "Hello, containers";
  str += std::string(3, '!');
  std::reverse(str.begin(), str.end());
  std::cout << str << ' ' << str.find("sre") << ' ' << str.substr(3, 5) << ' ' << std::to_string(-42) << '\n';
  std::string big;
  for (int i = 0; i < 1000; ++i) big += std::to_string(i);
  std::cout << "big string " << big.size() << ' ' << std::count(big.begin(), big.end(), '7') << '\n';
  std::vector<std::vector<int>> grid(30, std::vector<int>(30));
  for (int i = 0; i < 30; ++i)
    for (int j = 0; j < 30; ++j) grid[i][j] = i * j;
  long diag = 0;
  for (int i = 0; i < 30; ++i) diag += grid[i][29 - i];
  std::cout << "grid anti-diagonal " << diag << '\n';
  return 0;
}
