#include "report/report_files.h"

#include "common/output_file.h"
#include "report/report_builder.h"

namespace dusim::report {

void write_reports(const std::filesystem::path& dir, const std::vector<scenario::Output>& outputs,
                   const nlohmann::ordered_json& report, const nlohmann::ordered_json& trace) {
  for (scenario::Output o : outputs) {
    std::string text;
    switch (o) {
      case scenario::Output::ReportJson:
        text = report.dump(2) + "\n";
        break;
      case scenario::Output::TraceJson:
        text = trace.dump() + "\n";
        break;
      case scenario::Output::ReportHtml:
        text = build_html(report, trace);
        break;
    }
    tools::write_output(dir / scenario::to_name(scenario::kOutputs, o), text);
  }
}

}  // namespace dusim::report
