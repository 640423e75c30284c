// Prints the next-event baselines of an event-log data config:
//   bazel run //trainer/data:print_baselines -- models/events.json
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

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: print_baselines CONFIG.json\n";
    return 2;
  }
  std::string path = argv[1];
  const char* wd = std::getenv("BUILD_WORKING_DIRECTORY");
  if (wd && !path.empty() && path[0] != '/') path = std::string(wd) + "/" + path;
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
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
