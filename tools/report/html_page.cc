#include "report/html_page.h"

#include "report/web_assets.h"

namespace dusim::report::html {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

Table::Table(std::vector<std::string> header, std::vector<bool> numeric) : header_(std::move(header)), numeric_(std::move(numeric)) {
  numeric_.resize(header_.size(), false);
}

Table& Table::row(std::vector<std::string> cells, const std::string& row_class) {
  body_ += row_class.empty() ? "<tr>" : "<tr class=\"" + row_class + "\">";
  for (size_t k = 0; k < cells.size(); ++k) body_ += (k < numeric_.size() && numeric_[k] ? "<td class=\"num\">" : "<td>") + cells[k] + "</td>";
  body_ += "</tr>\n";
  ++rows_;
  return *this;
}

std::string Table::html(const std::string& id) const {
  std::string s = id.empty() ? "<table>" : "<table id=\"" + id + "\">";
  s += "<thead><tr>";
  for (size_t k = 0; k < header_.size(); ++k) s += (numeric_[k] ? "<th class=\"num\">" : "<th>") + header_[k] + "</th>";
  return s + "</tr></thead>\n<tbody>\n" + body_ + "</tbody></table>\n";
}

namespace {

// JSON inside <script>: "</" must not close the element.
std::string script_json(const nlohmann::ordered_json& j) {
  std::string s = j.dump(), out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<' && i + 1 < s.size() && s[i + 1] == '/') out += "<\\/", ++i;
    else out += s[i];
  }
  return out;
}

}  // namespace

std::string plot(const std::string& id, const nlohmann::ordered_json& spec) {
  return "<div class=\"plot\" id=\"" + id + "\"></div>\n<script type=\"application/json\" data-plot=\"" + id + "\">" +
         script_json(spec) + "</script>\n";
}

std::string swatch(const char* colour) { return std::string("<span class=\"swatch\" style=\"background:") + colour + "\"></span>"; }

std::string page(const std::string& title, const std::string& body) {
  std::string s = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>" + escape(title) +
                  "</title>\n<style>\n" + std::string(web::page_style()) + "</style></head>\n<body>\n" + body;
  s += "<script>\n" + std::string(web::plot_library()) + "</script>\n<script>\n" + std::string(web::plots_script()) +
       "</script>\n</body></html>\n";
  return s;
}

}  // namespace dusim::report::html
