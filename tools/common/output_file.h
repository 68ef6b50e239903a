// Every file the tool writes for the user (reports, traces, sweep tables,
// --stats-json, --events) is written here, so how outputs reach the disk is
// decided in one place: whole or not at all.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <string>

namespace dusim::tools {

// Replaces `path` with `text` atomically: written to a temporary file beside
// it (".NAME.tmp-PID"), flushed to the disk (fsync), then renamed over it,
// so a reader (or a run killed meanwhile) sees the old file or the new one,
// never a part. Any failure (a missing folder, a directory in the way, a
// full disk) removes the temporary file, leaves `path` as it was and throws
// OutputError naming `path` (exit code kOutputError). A device or a pipe
// (--events /dev/stdout) is written as it is; a symbolic link keeps
// pointing at the (replaced) file it names.
void write_output(const std::filesystem::path& path, const std::string& text);

// Before a run that will write `paths`: removes what a previous run left
// there (a regular file), so that a run that ends early (killed, or
// failing) never leaves an older run's output looking like its own. A
// missing file is fine; a directory in the way, a missing folder or a file
// that cannot be removed throws OutputError before anything is simulated.
void remove_stale_outputs(std::initializer_list<std::filesystem::path> paths);
void remove_stale_output(const std::filesystem::path& path);

}  // namespace dusim::tools
