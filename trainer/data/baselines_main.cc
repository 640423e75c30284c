// Prints the next-event baselines of an event-log data config:
//   bazel run //trainer/data:print_baselines -- models/events.json
//   bazel run //trainer/data:print_baselines -- models/multistream.json --events-out runs/ms/events.csv
// prints top-1 accuracy of every baseline and top-5 of majority / last / bigram. For
// synthetic_employees, --events-out FILE also writes the generated log as CSV (what
// `runnel run --events` replays; split it with `run --split <train_fraction>`).
// The file is a run config with a "data" section (or just the data object); kind must
// be csv or synthetic_employees. Relative paths resolve against the directory
// `bazel run` was started from, the CSV path against the config's directory.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "trainer/data/baselines.h"
#include "trainer/data/data_config.h"
#include "trainer/data/event_log.h"
#include "trainer/data/synthetic_employees.h"

int main(int argc, char** argv) {
  if (argc != 2 && !(argc == 4 && std::string(argv[2]) == "--events-out")) {
    std::cerr << "usage: print_baselines CONFIG.json [--events-out FILE.csv]\n";
    return 2;
  }
  const char* wd = std::getenv("BUILD_WORKING_DIRECTORY");
  auto resolve = [&](std::string p) { return wd && !p.empty() && p[0] != '/' ? std::string(wd) + "/" + p : p; };
  std::string path = resolve(argv[1]);
  try {
    std::ifstream in(path);
    if (!in) throw std::runtime_error(std::string(argv[1]) + ": cannot open file");
    nlohmann::json config = nlohmann::json::parse(in);
    const nlohmann::json& data = config.contains("data") ? config.at("data") : config;
    std::string dir = path.substr(0, path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/'));
    auto dataset = runnel::data::make_dataset(data, dir);
    auto* log = dynamic_cast<runnel::data::EventLogDataset*>(dataset.get());
    if (!log) throw std::runtime_error("data.kind: baselines need an event log (csv or synthetic_employees)");
    auto report = runnel::data::next_event_baselines(log->streams(), log->train_counts(),
                                                     log->options().fields);
    std::cout << runnel::data::format_baselines(report);
    if (argc == 4) {
      if (data.value("kind", "") != "synthetic_employees")
        throw std::runtime_error("--events-out: only for data.kind synthetic_employees");
      runnel::data::EmployeeOptions g;
      g.employees = data.value("employees", g.employees);
      g.days = data.value("days", g.days);
      g.seed = data.value("seed", g.seed);
      const std::string out = resolve(argv[3]);
      std::ofstream f(out, std::ios::binary);
      f << runnel::data::synthetic_employees_csv(g);
      if (!f) throw std::runtime_error(std::string(argv[3]) + ": cannot write");
      std::cout << "wrote " << argv[3] << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
