#include "gdb/tcp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace dusim::gdb {

namespace {
[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("gdb stub: " + what + ": " + std::strerror(errno));
}
}  // namespace

Connection::~Connection() { ::close(fd_); }

bool Connection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(size_t(n));
  }
  return true;
}

bool Connection::receive(std::string& out) {
  char buf[4096];
  for (;;) {
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    out.append(buf, size_t(n));
    return true;
  }
}

bool Connection::poll(std::string& out) {
  pollfd p{fd_, POLLIN, 0};
  int ready = ::poll(&p, 1, 0);
  if (ready <= 0) return ready == 0 || errno == EINTR;
  return receive(out);  // readable: data, or end of stream
}

Listener::Listener(uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) fail("socket");
  int one = 1;
  ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0) {
    int e = errno;
    ::close(fd_);
    errno = e;
    fail("cannot listen on 127.0.0.1:" + std::to_string(port));
  }
  if (::listen(fd_, 1) < 0) fail("listen");
  socklen_t len = sizeof a;
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) < 0) fail("getsockname");
  port_ = ntohs(a.sin_port);
}

Listener::~Listener() {
  if (fd_ >= 0) ::close(fd_);
}

std::unique_ptr<Connection> Listener::accept() {
  for (;;) {
    int fd = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0 && errno == EINTR) continue;
    if (fd < 0) fail("accept");
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // replies are small and latency-bound
    return std::make_unique<Connection>(fd);
  }
}

}  // namespace dusim::gdb
