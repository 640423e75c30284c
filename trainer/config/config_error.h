// A config value that is missing or wrong. what() names the field path and what was
// expected, e.g. "model.streams[1].encoder.kind: expected one of mean, max, sum, ...,
// got 'gru2'"; file-level callers prefix the file name.
#ifndef RUNNEL_TRAINER_CONFIG_CONFIG_ERROR_H_
#define RUNNEL_TRAINER_CONFIG_CONFIG_ERROR_H_

#include <stdexcept>

namespace runnel::config {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace runnel::config

#endif  // RUNNEL_TRAINER_CONFIG_CONFIG_ERROR_H_
