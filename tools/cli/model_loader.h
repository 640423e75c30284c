// Reads a .rnl file the user named into a 64-byte aligned buffer and loads it into the
// engine. For the CLI: failures throw std::runtime_error("FILE: kStatus: message").
#ifndef RUNNEL_TOOLS_CLI_MODEL_LOADER_H_
#define RUNNEL_TOOLS_CLI_MODEL_LOADER_H_

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "engine/model.h"
#include "engine/session.h"
#include "tools/util/aligned_bytes.h"

namespace runnel::cli {

struct LoadedModel {
  std::unique_ptr<AlignedBytes> file;
  std::unique_ptr<Model> model;     // large (bound nodes): on the heap
};

// `shown_path` as the user typed it (resolved against their working directory).
LoadedModel load_model(const std::string& shown_path);

// "FILE: kStatus: message" for a model file the engine rejected; for another format
// version it says which version the file has and which this runnel reads.
std::string model_error(const std::string& shown_path, const uint8_t* bytes, size_t size, Status status);

// A session with its own aligned memory and scratch, for tools.
class OwnedSession {
 public:
  explicit OwnedSession(const Model& model);
  Session& get() { return session_; }
  const Session& get() const { return session_; }

 private:
  AlignedBytes memory_, scratch_;
  Session session_;
};

// Random events that are valid for a model (ids inside each vocabulary, numeric values
// in [-2, 2), dt up to a day): for benchmarks and smoke runs.
class RandomEvents {
 public:
  RandomEvents(const Model& model, uint32_t seed);
  const Event& next();

 private:
  const Model& model_;
  std::mt19937 rng_;
  std::vector<int32_t> ids_;
  std::vector<float> numeric_;
  Event event_;
};

}  // namespace runnel::cli

#endif  // RUNNEL_TOOLS_CLI_MODEL_LOADER_H_
