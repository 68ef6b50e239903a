// `dusim lab list` and `dusim lab start N`; `check` is in check.cc.
#include "lab/lab.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "common/errors.h"
#include "exit_codes.h"
#include "lab/grader.h"

namespace dusim::lab {

namespace fs = std::filesystem;

std::string work_root(const LabOptions& o) {
  return o.work_dir.empty() ? (fs::path(labs_root()) / "work").string() : fs::absolute(o.work_dir).lexically_normal().string();
}

int list_labs(const LabOptions& o) {
  std::vector<Lab> labs = find_labs(labs_root());
  if (labs.empty()) throw tools::InputError("no labs in " + labs_root());
  unsigned width = 0;
  for (const Lab& l : labs) width = std::max<unsigned>(width, unsigned(l.title.size()));
  for (const Lab& l : labs) {
    fs::path mine = fs::path(work_root(o)) / std::to_string(l.number);
    std::printf("%2u  %-*s  %3u points  %s%s\n", l.number, int(width), l.title.c_str(), l.max_points(), l.teaches.c_str(),
                fs::exists(mine) ? "  (started)" : "");
  }
  std::printf("\n./dusim lab start N copies lab N's starter into %s/N; the handout is labs/N-*/HANDOUT.md.\n",
              work_root(o).c_str());
  return exit_code::kSuccess;
}

int start_lab(const LabOptions& o) {
  Lab lab = load_lab(labs_root(), o.number);
  fs::path from = fs::path(lab.dir) / "starter";
  fs::path to = fs::path(work_root(o)) / std::to_string(lab.number);
  if (!fs::is_directory(from)) throw tools::InputError("lab " + std::to_string(lab.number) + " has no starter folder " + from.string());
  std::error_code ec;
  fs::create_directories(to, ec);
  if (ec) throw tools::InputError("cannot create " + to.string() + ": " + ec.message());
  unsigned copied = 0, kept = 0;
  std::vector<fs::path> files;  // in name order, so the listing is the same everywhere
  for (const auto& e : fs::recursive_directory_iterator(from))
    if (!e.is_directory()) files.push_back(fs::relative(e.path(), from));
  std::sort(files.begin(), files.end());
  for (const fs::path& rel : files) {
    fs::path src = from / rel, dst = to / rel;
    fs::create_directories(dst.parent_path());
    if (fs::exists(dst)) {  // the student's work: never replaced
      std::printf("kept     %s (already there; remove it to get the starter's again)\n", dst.string().c_str());
      ++kept;
      continue;
    }
    fs::copy_file(src, dst, ec);
    if (ec) throw tools::InputError("cannot copy " + src.string() + " to " + dst.string() + ": " + ec.message());
    std::printf("copied   %s\n", dst.string().c_str());
    ++copied;
  }
  std::printf("lab %u (%s): %u file%s copied, %u kept. Read %s/HANDOUT.md, then ./dusim lab check %u\n", lab.number,
              lab.title.c_str(), copied, copied == 1 ? "" : "s", kept, lab.dir.c_str(), lab.number);
  return exit_code::kSuccess;
}

int lab_command(const LabOptions& o) {
  return tools::exit_code_of([&] {
    if (o.action == "list") return list_labs(o);
    if ((o.action == "start" || o.action == "check") && o.number == 0)
      throw tools::InputError("lab " + o.action + ": which lab? (./dusim lab " + o.action + " N; ./dusim lab list)");
    if (o.action == "start") return start_lab(o);
    if (o.action == "check") return check_lab(o);
    throw tools::InputError("lab: unknown action '" + o.action + "' (list, start N, check N)");
  });
}

}  // namespace dusim::lab
