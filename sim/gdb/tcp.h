// The stub's transport: one TCP listener on the loopback interface only
// (127.0.0.1; the protocol has no authentication) and the connection to GDB.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace dusim::gdb {

class Connection {
 public:
  explicit Connection(int fd) : fd_(fd) {}
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // False once the peer is gone.
  bool send(std::string_view bytes);
  // Waits for bytes and appends them to `out`; false when the peer is gone.
  bool receive(std::string& out);
  // Appends whatever has already arrived, without waiting; false when the peer is gone.
  bool poll(std::string& out);

 private:
  int fd_;
};

class Listener {
 public:
  // Listens on 127.0.0.1:`port` (0: any free port); throws std::runtime_error.
  explicit Listener(uint16_t port);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  uint16_t port() const { return port_; }
  // Waits for the next connection; throws std::runtime_error on failure.
  std::unique_ptr<Connection> accept();

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

}  // namespace dusim::gdb
