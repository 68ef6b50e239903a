// cxx_threads.cc — std::thread, std::mutex, std::condition_variable,
// std::atomic, std::async/future and thread_local: results that do not
// depend on the interleaving.
#include <atomic>
#include <condition_variable>
#include <future>
#include <iostream>
#include <mutex>
#include <numeric>
#include <queue>
#include <thread>
#include <vector>

static std::mutex m;
static std::condition_variable cv;
static std::queue<int> work;
static bool closed = false;
static thread_local int handled = 0;

static long consume() {
  long sum = 0;
  for (;;) {
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [] { return !work.empty() || closed; });
    if (work.empty()) break;
    int v = work.front();
    work.pop();
    lock.unlock();
    sum += v;
    ++handled;
  }
  return sum * 1000 + (handled > 0);
}

int main() {
  std::vector<std::future<long>> consumers;
  for (int i = 0; i < 3; ++i) consumers.push_back(std::async(std::launch::async, consume));
  for (int i = 1; i <= 3000; ++i) {
    {
      std::lock_guard<std::mutex> lock(m);
      work.push(i);
    }
    cv.notify_one();
  }
  {
    std::lock_guard<std::mutex> lock(m);
    closed = true;
  }
  cv.notify_all();
  long total = 0;
  for (auto& f : consumers) total += f.get() / 1000;
  std::cout << "consumed sum " << total << " (expected " << 3000L * 3001 / 2 << ")\n";

  std::atomic<long> counter{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&counter, t] {
      for (int k = 0; k < 10000; ++k) counter.fetch_add(t + 1, std::memory_order_relaxed);
    });
  for (auto& th : threads) th.join();
  std::cout << "atomic counter " << counter.load() << '\n';

  std::promise<std::string> promise;
  std::future<std::string> fut = promise.get_future();
  std::thread producer([&promise] { promise.set_value("value through a promise"); });
  std::cout << fut.get() << '\n';
  producer.join();
  std::cout << "hardware_concurrency is positive: " << (std::thread::hardware_concurrency() > 0) << '\n';
  return 0;
}
