#include "report/checks.h"

#include "report/report_paths.h"

#include <cstdlib>
#include <optional>
#include <sstream>
#include <vector>

namespace dusim::report {

namespace {

struct Parsed {
  std::string lhs, op, rhs;
};

std::optional<Parsed> parse(const std::string& e, std::string& why) {
  static const char* const ops[] = {"==", "!=", "<=", ">=", "<", ">"};
  for (const char* op : ops) {
    auto at = e.find(op);
    if (at == std::string::npos) continue;
    auto trim = [](std::string s) {
      size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
      return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
    };
    Parsed p{trim(e.substr(0, at)), op, trim(e.substr(at + std::string(op).size()))};
    if (p.lhs.empty() || p.rhs.empty()) break;
    return p;
  }
  why = "expected 'PATH OP VALUE' with OP one of == != < <= > >=";
  return std::nullopt;
}

bool looks_like_path(const std::string& s) {
  return !s.empty() && (std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_') &&
         (s.find('.') != std::string::npos || s.find('[') != std::string::npos);
}

std::string trimmed(const std::string& s) {
  size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

// "K * PATH" (a number times a path): K and the path, or nothing.
std::optional<std::pair<double, std::string>> scaled(const std::string& s) {
  size_t star = s.find('*');
  if (star == std::string::npos) return std::nullopt;
  std::string k = trimmed(s.substr(0, star)), path = trimmed(s.substr(star + 1));
  char* end = nullptr;
  double d = std::strtod(k.c_str(), &end);
  if (k.empty() || !end || *end != '\0' || !looks_like_path(path)) return std::nullopt;
  return std::make_pair(d, path);
}

// A literal, a path or K * PATH, as JSON.
std::optional<nlohmann::ordered_json> value_of(const std::string& s, const nlohmann::ordered_json& report) {
  if (auto k = scaled(s)) {
    const nlohmann::ordered_json* v = lookup_path(report, k->second);
    if (!v || !v->is_number()) return std::nullopt;
    return nlohmann::ordered_json(k->first * v->get<double>());
  }
  if (s == "true") return nlohmann::ordered_json(true);
  if (s == "false") return nlohmann::ordered_json(false);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return nlohmann::ordered_json(s.substr(1, s.size() - 2));
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (end && *end == '\0' && end != s.c_str()) return nlohmann::ordered_json(d);
  if (looks_like_path(s)) {
    const nlohmann::ordered_json* v = lookup_path(report, s);
    if (!v) return std::nullopt;
    return *v;
  }
  return nlohmann::ordered_json(s);  // a bare word: a string
}

std::string show(const nlohmann::ordered_json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float() && v.get<double>() == double(int64_t(v.get<double>()))) return std::to_string(int64_t(v.get<double>()));
  return v.dump();
}

}  // namespace

std::string check_syntax(const std::string& expression) {
  std::string why;
  return parse(expression, why) ? std::string() : why;
}

std::string check_problem(const std::string& expression, const scenario::Scenario& s) {
  std::string why;
  auto p = parse(expression, why);
  if (!p) return why;
  for (const std::string* side : {&p->lhs, &p->rhs}) {
    std::string path = *side == p->rhs && scaled(*side) ? scaled(*side)->second : *side;
    if (!looks_like_path(path)) continue;
    std::string problem = unknown_report_path(path, s);
    if (!problem.empty()) return problem;
  }
  return "";
}

CheckResult evaluate_check(const std::string& expression, const nlohmann::ordered_json& report) {
  CheckResult r;
  std::string why;
  auto p = parse(expression, why);
  if (!p) {
    r.detail = why;
    return r;
  }
  auto a = value_of(p->lhs, report), b = value_of(p->rhs, report);
  r.expected = p->lhs + " " + p->op + " " + p->rhs;
  r.meaning = report_path_meaning(p->lhs, report);
  if (!a) {
    r.detail = p->lhs + " is not in the report";
    r.actual = "absent";
    return r;
  }
  r.actual = show(*a);
  if (!b) {
    r.detail = p->rhs + " is not in the report";
    return r;
  }
  int cmp;
  if (a->is_number() && b->is_number()) {
    double x = a->get<double>(), y = b->get<double>();
    cmp = x < y ? -1 : x > y ? 1 : 0;
  } else if (a->is_boolean() && b->is_boolean()) {
    cmp = int(a->get<bool>()) - int(b->get<bool>());
  } else {
    std::string x = show(*a), y = show(*b);
    cmp = x < y ? -1 : x > y ? 1 : 0;
    if (p->op != "==" && p->op != "!=") {
      r.detail = "cannot order " + show(*a) + " and " + show(*b);
      return r;
    }
  }
  const std::string& op = p->op;
  r.passed = op == "==" ? cmp == 0 : op == "!=" ? cmp != 0 : op == "<" ? cmp < 0 : op == "<=" ? cmp <= 0 : op == ">" ? cmp > 0 : cmp >= 0;
  r.detail = p->lhs + " = " + show(*a) + " " + op + " " + (looks_like_path(p->rhs) || scaled(p->rhs) ? p->rhs + " = " : "") + show(*b);
  return r;
}

}  // namespace dusim::report
