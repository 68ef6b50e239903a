// `dusim open PATH`: a run's report.html (or a sweep's sweep.html) in a
// browser when this machine can show one, else its path, to open elsewhere
// (the page is one self-contained file).
#pragma once

#include <string>

namespace dusim::report {

// PATH is a report folder, a sweep folder or an .html file. Returns the
// tool's exit code (0; 125 when there is no page there).
int open_page(const std::string& path);

}  // namespace dusim::report
