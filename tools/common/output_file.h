// Every file the tool writes for the user (reports, traces, sweep tables,
// --stats-json) is written here, so how outputs reach the disk is decided in
// one place.
#pragma once

#include <filesystem>
#include <string>

namespace dusim::tools {

// Replaces `path` with `text`. A failed write is not reported yet (the
// caller's exit code does not show it).
void write_output(const std::filesystem::path& path, const std::string& text);

}  // namespace dusim::tools
