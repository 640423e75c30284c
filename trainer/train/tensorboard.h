// TensorBoard scalars without a protobuf dependency: TFRecord framing (uint64 length,
// masked CRC-32C of the length, data, masked CRC-32C of the data) around hand-encoded
// Event messages {wall_time = 1 (double), step = 2 (int64), file_version = 3 (string),
// summary = 5 {value = 1 {tag = 1 (string), simple_value = 2 (float)}}}.
#ifndef RUNNEL_TRAINER_TRAIN_TENSORBOARD_H_
#define RUNNEL_TRAINER_TRAIN_TENSORBOARD_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace runnel::train {

class TensorBoardWriter {
 public:
  // Creates dir/events.out.tfevents.<unix time>.<host> and writes the file_version record.
  explicit TensorBoardWriter(const std::string& dir);
  ~TensorBoardWriter();
  TensorBoardWriter(const TensorBoardWriter&) = delete;
  TensorBoardWriter& operator=(const TensorBoardWriter&) = delete;

  // One Event with a Summary holding every (tag, value) pair.
  void scalars(int64_t step, const std::vector<std::pair<std::string, float>>& values);
  void flush();
  const std::string& path() const { return path_; }

  // Building blocks, public for tests.
  static std::string encode_event(double wall_time, int64_t step, const std::string* file_version,
                                  const std::vector<std::pair<std::string, float>>& values);
  static std::string frame_record(const std::string& data);

 private:
  void write_record(const std::string& data);
  std::string path_;
  std::FILE* file_ = nullptr;
};

}  // namespace runnel::train

#endif  // RUNNEL_TRAINER_TRAIN_TENSORBOARD_H_
