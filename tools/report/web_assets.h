// What report.html and sweep.html inline, built into the binary from
// tools/report/web/: the plotting library (its browser bundles, fetched by
// the build), the script that draws the plots, and the page style.
#pragma once

#include <string_view>

namespace dusim::report::web {

std::string_view plot_library();  // vega, vega-lite and vega-embed (bundle.cmake)
std::string_view plots_script();  // plots.js
std::string_view page_style();    // page.css
// "vega 6.4.0, vega-lite 6.5.0, vega-embed 7.3.0" (from the bundle's headers).
std::string_view plot_library_versions();

}  // namespace dusim::report::web
