// The event log of a model config (data.kind csv or synthetic_employees), for the
// commands that score a split: `runnel baselines` and `runnel eval`. Config errors come
// back as config::ConfigError naming the file and field.
#ifndef RUNNEL_TOOLS_CLI_EVENT_LOG_CONFIG_H_
#define RUNNEL_TOOLS_CLI_EVENT_LOG_CONFIG_H_

#include <memory>
#include <string>

#include "trainer/config/config_file.h"
#include "trainer/data/dataset.h"
#include "trainer/data/event_log.h"

namespace runnel::cli {

struct ConfigEventLog {
  config::ConfigFile file;
  std::unique_ptr<data::Dataset> dataset;
  const data::EventLogDataset* log = nullptr;   // dataset, as an event log
};

// `shown_path` as the user typed it (resolved against their working directory).
ConfigEventLog load_config_event_log(const std::string& shown_path);

}  // namespace runnel::cli

#endif  // RUNNEL_TOOLS_CLI_EVENT_LOG_CONFIG_H_
