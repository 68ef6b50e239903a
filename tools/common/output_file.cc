#include "common/output_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/errors.h"

namespace dusim::tools {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void cannot(const fs::path& path, const std::string& why) {
  throw OutputError("cannot write " + path.string() + ": " + why);
}

fs::path folder_of(const fs::path& path) { return path.parent_path().empty() ? fs::path(".") : path.parent_path(); }

// The whole of `text` into the open file `fd`; false with errno set on failure.
bool write_all(int fd, const std::string& text) {
  const char* p = text.data();
  size_t left = text.size();
  while (left) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    p += n, left -= size_t(n);
  }
  return true;
}

// A device or a pipe the user named (/dev/stdout): written as it is.
void write_in_place(const fs::path& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) cannot(path, std::strerror(errno));
  bool ok = write_all(fd, text);
  int err = errno;
  if (::close(fd) != 0 && ok) ok = false, err = errno;
  if (!ok) cannot(path, std::strerror(err));
}

}  // namespace

void write_output(const fs::path& path, const std::string& text) {
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);  // through a symbolic link
  if (fs::is_directory(st)) cannot(path, "it is a directory");
  if (fs::exists(st) && !fs::is_regular_file(st)) return write_in_place(path, text);
  // A symbolic link stays one: the file it names is replaced.
  fs::path target = path;
  if (fs::is_symlink(fs::symlink_status(path, ec))) {
    target = fs::weakly_canonical(path, ec);
    if (ec) cannot(path, ec.message());
  }
  fs::path dir = folder_of(target);
  fs::path tmp = dir / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) cannot(path, errno == ENOENT ? "no folder " + dir.string() : std::strerror(errno));
  bool ok = write_all(fd, text) && ::fsync(fd) == 0;
  int err = errno;
  if (::close(fd) != 0 && ok) ok = false, err = errno;
  if (ok && ::rename(tmp.c_str(), target.c_str()) != 0) ok = false, err = errno;
  if (!ok) {
    ::unlink(tmp.c_str());
    cannot(path, std::strerror(err));
  }
  // The rename itself reaches the disk with the folder's entry.
  int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (d >= 0) {
    ::fsync(d);
    ::close(d);
  }
}

void remove_stale_output(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_directory(folder_of(path), ec)) cannot(path, "no folder " + folder_of(path).string());
  fs::file_status st = fs::symlink_status(path, ec);
  if (fs::is_directory(st)) throw OutputError("cannot write " + path.string() + ": it is a directory");
  if (!fs::is_regular_file(st)) return;  // missing; or a link, a device, a pipe: written through when the time comes
  if (!fs::remove(path, ec) && ec) throw OutputError("cannot replace " + path.string() + ": " + ec.message());
}

void remove_stale_outputs(std::initializer_list<fs::path> paths) {
  for (const fs::path& p : paths) remove_stale_output(p);
}

}  // namespace dusim::tools
