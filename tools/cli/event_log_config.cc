#include "tools/cli/event_log_config.h"

#include <cstdio>
#include <filesystem>

#include "tools/cli/command.h"
#include "trainer/data/data_config.h"

namespace runnel::cli {

ConfigEventLog load_config_event_log(const std::string& shown_path) {
  const std::string path = resolve_user_path(shown_path);
  ConfigEventLog c;
  c.file = config::load_config_file(path);
  c.file.path = shown_path;
  const std::string base_dir = std::filesystem::path(path).parent_path().string();
  c.dataset = config::in_config_file(
      shown_path, [&] { return data::make_dataset(c.file.data, base_dir.empty() ? "." : base_dir); });
  for (const std::string& w : c.dataset->warnings()) std::fprintf(stderr, "warning: %s: %s\n", shown_path.c_str(), w.c_str());
  c.log = dynamic_cast<const data::EventLogDataset*>(c.dataset.get());
  if (c.log == nullptr)
    throw config::ConfigError(shown_path + ": data.kind: expected an event log (csv or synthetic_employees): "
                              "baselines and eval score next-event predictions");
  return c;
}

}  // namespace runnel::cli
