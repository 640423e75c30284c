#include "trainer/config/config_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
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
  static const std::set<std::string> known = {"name", "description", "data", "model", "train"};
  for (auto it = c.root.begin(); it != c.root.end(); ++it)
    if (!known.count(it.key()))
      throw ConfigError(path + ": " + it.key() + ": unknown top-level field (expected name, description, data, model, train)");
  for (const char* section : {"data", "model", "train"}) {
    if (!c.root.contains(section)) throw ConfigError(path + ": " + section + ": missing section");
    if (!c.root[section].is_object())
      throw ConfigError(path + ": " + section + ": expected an object, got " + c.root[section].dump());
  }
  if (c.root.contains("name") && !c.root["name"].is_string())
    throw ConfigError(path + ": name: expected a string, got " + c.root["name"].dump());
  c.name = c.root.value("name", stem(path));
  c.data = c.root["data"];
  c.model = c.root["model"];
  c.train = in_config_file(path, [&] { return train::parse_train_config(c.root["train"]); });
  return c;
}

}  // namespace runnel::config
