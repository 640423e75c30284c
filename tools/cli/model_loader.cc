#include "tools/cli/model_loader.h"

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "tools/cli/command.h"

namespace runnel::cli {

LoadedModel load_model(const std::string& shown_path) {
  const std::string path = resolve_user_path(shown_path);
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw std::runtime_error(shown_path + ": is a directory, not a model file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(shown_path + ": cannot open: " + std::strerror(errno));
  const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  LoadedModel loaded;
  loaded.file = std::make_unique<AlignedBytes>(bytes);
  loaded.model = std::make_unique<Model>();
  const Status s = loaded.model->load(loaded.file->data(), loaded.file->size());
  if (s != Status::kOk) throw std::runtime_error(model_error(shown_path, loaded.file->data(), loaded.file->size(), s));
  return loaded;
}

std::string model_error(const std::string& shown_path, const uint8_t* bytes, size_t size, Status status) {
  std::string message = shown_path + ": " + status_name(status) + ": " + status_message(status);
  if (status == Status::kBadVersion && size >= offsetof(rnl::RnlHeader, version) + sizeof(uint32_t)) {
    uint32_t version = 0;
    std::memcpy(&version, bytes + offsetof(rnl::RnlHeader, version), sizeof version);
    message += " (the file is version " + std::to_string(version) + ", this runnel reads version " +
               std::to_string(rnl::kVersion) + ": export the model again with this runnel)";
  }
  return message;
}

OwnedSession::OwnedSession(const Model& model)
    : memory_(std::vector<uint8_t>(model.session_bytes())), scratch_(std::vector<uint8_t>(model.scratch_bytes())) {
  const Status s = session_.init(model, memory_.data(), memory_.size(), scratch_.data(), scratch_.size());
  if (s != Status::kOk) throw std::runtime_error(std::string("session init: ") + status_name(s));
}

RandomEvents::RandomEvents(const Model& model, uint32_t seed) : model_(model), rng_(seed) {
  ids_.resize(model.file().n_vocabs());
  numeric_.resize(model.file().n_numeric());
  event_.ids = ids_.data();
  event_.n_ids = static_cast<int>(ids_.size());
  event_.numeric = numeric_.data();
  event_.n_numeric = static_cast<int>(numeric_.size());
}

const Event& RandomEvents::next() {
  for (size_t f = 0; f < ids_.size(); ++f)
    ids_[f] = static_cast<int32_t>(rng_() % model_.file().vocab(static_cast<uint32_t>(f)).size());
  for (float& x : numeric_) x = static_cast<float>(rng_() % 4096) / 1024.f - 2.f;
  event_.dt = static_cast<double>(rng_() % 86400);
  return event_;
}

}  // namespace runnel::cli
