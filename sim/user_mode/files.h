// The guest's file descriptors and the part of the host's file system it may
// read. Descriptors 0, 1 and 2 are the host's standard streams. Everything
// else is a host file below the directory given with `--root`, opened
// read-only: the root is the guest's "/", and host openat2 with
// RESOLVE_IN_ROOT resolves every path (absolute ones, `..`, symbolic links,
// relative or absolute) as if that directory were the file system's root,
// so no path reaches outside it. Without a root every path lookup fails with
// ENOENT.
//
// Locking and synchronization: none; one host thread runs every guest thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace dusim {

class FileTable {
 public:
  // A host descriptor shared by the guest descriptors that dup() made of it.
  struct HostFd {
    int fd = -1;
    bool owned = false;  // closed when the last guest descriptor goes (not the standard streams)
    ~HostFd();
  };
  struct File {
    std::shared_ptr<HostFd> host;
    uint64_t flags = 0;     // guest open flags (access mode, O_DIRECTORY...)
    bool cloexec = false;
    bool directory = false;
    std::string path;       // guest path (directories: canonical, for *at() and fchdir)
  };

  // `root`: the host directory that is the guest's "/" (empty: none).
  // Throws std::runtime_error if it cannot be opened.
  explicit FileTable(const std::string& root);

  bool has_root() const { return root_fd_ >= 0; }
  File* get(int64_t fd);
  // Linux's operations: a descriptor or 0 on success, -errno on failure.
  int64_t open(int64_t dirfd, const std::string& path, uint64_t flags);
  int64_t close(int64_t fd);
  int64_t dup(int64_t fd, int64_t lowest, bool cloexec);
  int64_t dup_to(int64_t fd, int64_t to, bool cloexec);  // dup2 / dup3
  // A host O_PATH descriptor (owned by the caller) for `path` relative to
  // `dirfd`, the final symbolic link followed or not; -errno on failure.
  int64_t lookup(int64_t dirfd, const std::string& path, bool follow);
  int64_t chdir(const std::string& path);
  int64_t fchdir(int64_t fd);
  const std::string& cwd() const { return cwd_; }

  static constexpr int64_t kMaxFds = 1024;  // RLIMIT_NOFILE

 private:
  // The guest path of `path` relative to `dirfd` (as one string for
  // RESOLVE_IN_ROOT), or -errno.
  int64_t join(int64_t dirfd, const std::string& path, std::string& out) const;
  int64_t resolve(const std::string& guest_path, uint64_t host_flags, bool follow) const;
  std::string guest_path_of(int host_fd) const;  // canonical path below the root
  int64_t lowest_free(int64_t from) const;

  int root_fd_ = -1;
  std::string root_real_;  // the root's canonical host path
  std::string cwd_ = "/";
  std::map<int64_t, File> files_;
};

}  // namespace dusim
