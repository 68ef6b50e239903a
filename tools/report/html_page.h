// The parts every dusim page is made of: escaped text, tables, plots (a
// Vega-Lite spec drawn by plots.js) and the page around them, which inlines
// the style, the plotting library and the script (web_assets.h), so a page
// is one file that works offline.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace dusim::report::html {

// Text for an element or attribute: & < > " ' escaped.
std::string escape(std::string_view text);

// A table: a header row, then rows of cells (already HTML); `numeric`
// columns are right-aligned.
class Table {
 public:
  Table(std::vector<std::string> header, std::vector<bool> numeric = {});
  Table& row(std::vector<std::string> cells, const std::string& row_class = "");
  std::string html(const std::string& id = "") const;
  size_t rows() const { return rows_; }

 private:
  std::vector<std::string> header_;
  std::vector<bool> numeric_;
  std::string body_;
  size_t rows_ = 0;
};

// A plot: its element and its spec (JSON in a <script>, drawn by plots.js).
std::string plot(const std::string& id, const nlohmann::ordered_json& spec);

// A coloured square before a phase's name.
std::string swatch(const char* colour);

// The whole page: <head> with the style, then `body`, then the plotting
// library and plots.js.
std::string page(const std::string& title, const std::string& body);

}  // namespace dusim::report::html
