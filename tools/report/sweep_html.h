// sweep.html: a small self-contained page with the sweep's table and a plot
// of update latency and the longest blocked call against the variants.
// Its <svg> gets data-drawn="N" (the variants drawn) so a test can check it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dusim::report {

// `rows` are sweep.json's rows; `keys` the varied keys (the first names the
// plot), `csv` the table shown under it.
std::string build_sweep_html(const std::string& scenario, const std::vector<std::string>& keys,
                             const nlohmann::ordered_json& rows, const std::string& csv);

}  // namespace dusim::report
