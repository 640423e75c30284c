#include <cstdlib>
#include <filesystem>

#include "tools/cli/command.h"

namespace runnel::cli {

std::string resolve_user_path(const std::string& path) {
  if (path.empty() || path == "-") return path;
  std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  if (cwd == nullptr || *cwd == '\0') return path;
  return (std::filesystem::path(cwd) / p).string();
}

}  // namespace runnel::cli
