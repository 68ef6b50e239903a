// The reports of one scenario run: report.json (built from the event log
// and the machine's periodic traffic samples only), trace.json, report.html
// and the terminal summary. Keys: tools/README.md, "Report keys".
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "report/run_data.h"

namespace dusim::report {

nlohmann::ordered_json build_report(const RunData& run);

// Chrome trace-event JSON (Perfetto, chrome://tracing): one track per CPU.
nlohmann::ordered_json build_trace(const RunData& run, const nlohmann::ordered_json& report);

// The self-contained HTML page with plots.
std::string build_html(const nlohmann::ordered_json& report, const nlohmann::ordered_json& trace);

// The terminal summary: each update's phases in time order, coherence rates
// per window, metrics with units, checks.
struct SummaryOptions {
  bool verbose = false;  // every phase (not grouped), per-CPU rates, what each metric is
  bool colour = false;   // phase colours (phase_style.h) and PASS/FAIL as terminal colours
};
std::string build_summary(const nlohmann::ordered_json& report, const SummaryOptions& options = {});

}  // namespace dusim::report
