// `runnel gradcheck --reference FILE.json`: autograd against a PyTorch reference file
// (and, with --finite-diff, against finite differences). One JSON line per case, then a
// summary line; exit 1 if any case fails or cannot be run.
#include <cstdio>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "tools/cli/command.h"
#include "trainer/gradcheck/reference.h"

namespace runnel::cli {

CommandRunner setup_gradcheck(CLI::App& sub) {
  auto reference = std::make_shared<std::string>();
  auto finite_diff = std::make_shared<bool>(false);
  sub.add_option("--reference", *reference, "reference JSON (runnel-gradref-1 schema)")->required();
  sub.add_flag("--finite-diff", *finite_diff, "also check every case against finite differences");
  return [reference, finite_diff]() {
    const std::string path = resolve_user_path(*reference);
    std::ifstream in(path);
    if (!in) {
      std::fprintf(stderr, "runnel gradcheck: cannot open %s\n", path.c_str());
      return 2;
    }
    nlohmann::json file;
    try {
      file = nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& e) {
      std::fprintf(stderr, "runnel gradcheck: %s is not valid JSON: %s\n", path.c_str(), e.what());
      return 2;
    }
    std::vector<gradcheck::CaseResult> results;
    try {
      results = gradcheck::run_file(file, *finite_diff);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "runnel gradcheck: %s: %s\n", path.c_str(), e.what());
      return 2;
    }
    for (const auto& r : results) {
      std::cout << gradcheck::to_json(r).dump() << '\n';
      if (!r.error.empty()) std::cerr << "runnel gradcheck: " << r.error << '\n';
    }
    const nlohmann::json summary = gradcheck::summary_json(results);
    std::cout << summary.dump() << std::endl;
    return summary["ok"].get<bool>() ? 0 : 1;
  };
}

}  // namespace runnel::cli
