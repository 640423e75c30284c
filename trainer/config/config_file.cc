#include "trainer/config/config_file.h"

#include "trainer/config/object_reader.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "trainer/config/strict_json.h"

namespace runnel::config {
namespace {
std::string stem(const std::string& path) {
  std::string s = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  const auto dot = s.find_last_of('.');
  return dot == std::string::npos ? s : s.substr(0, dot);
}
}  // namespace

ConfigFile load_config_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw ConfigError(path + ": is a directory, not a config file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot read config file: " + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();

  ConfigFile c;
  c.path = path;
  c.root = parse_strict_json(text, path);
  if (!c.root.is_object()) throw ConfigError(path + ": expected a JSON object with data, model and train sections");
  in_config_file(path, [&] {
    const ObjectReader top(c.root, "", {"name", "description", "data", "model", "train"});
    for (const char* section : {"data", "model", "train"}) {
      if (!top.has(section)) fail_at(section, "missing section");
      if (!top.raw(section).is_object()) top.fail(section, "an object");
    }
    c.name = top.string("name", stem(path));
  });
  c.data = c.root["data"];
  c.model = c.root["model"];
  c.train = in_config_file(path, [&] { return train::parse_train_config(c.root["train"]); });
  return c;
}

}  // namespace runnel::config
