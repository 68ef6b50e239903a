#include "report/web_assets.h"

#include <string>

// Each file's bytes, placed in .rodata by the assembler (.incbin): no
// conversion step, and the build re-links when a file changes (the
// OBJECT_DEPENDS in tools/CMakeLists.txt). The paths come from CMake.
#define DUSIM_INCBIN(sym, path)                                        \
  asm(".section .rodata\n.balign 16\n.global " #sym "_begin\n" #sym    \
      "_begin:\n.incbin \"" path "\"\n.global " #sym "_end\n" #sym   \
      "_end:\n.byte 0\n.previous\n");                                  \
  extern "C" const char sym##_begin[], sym##_end[];

DUSIM_INCBIN(dusim_plot_library, DUSIM_PLOT_LIBRARY_JS)
DUSIM_INCBIN(dusim_plots_script, DUSIM_PLOTS_JS)
DUSIM_INCBIN(dusim_page_style, DUSIM_PAGE_CSS)

namespace dusim::report::web {

std::string_view plot_library() { return {dusim_plot_library_begin, size_t(dusim_plot_library_end - dusim_plot_library_begin)}; }
std::string_view plots_script() { return {dusim_plots_script_begin, size_t(dusim_plots_script_end - dusim_plots_script_begin)}; }
std::string_view page_style() { return {dusim_page_style_begin, size_t(dusim_page_style_end - dusim_page_style_begin)}; }

std::string_view plot_library_versions() {
  // Each bundle starts with "/* NAME VERSION (...". 
  static const std::string versions = [] {
    std::string out;
    std::string_view lib = plot_library();
    for (size_t at = lib.find("/* "); at != std::string_view::npos; at = lib.find("\n/* ", at + 1)) {
      size_t from = lib[at] == '\n' ? at + 4 : at + 3, end = lib.find(" (", from);
      if (end == std::string_view::npos) break;
      out += (out.empty() ? "" : ", ") + std::string(lib.substr(from, end - from));
    }
    return out;
  }();
  return versions;
}

}  // namespace dusim::report::web
