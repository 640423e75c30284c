// The one way runnel writes an output file: whole or not at all. Bytes go to a temporary
// file beside the destination; commit() flushes it, fsyncs it, renames it into place and
// fsyncs the directory, so after a crash a reader sees the old file or the whole new one.
//
// Only a regular file (or a path that does not exist yet) is replaced that way. A path
// that is a symlink, a device, a pipe or a socket (/dev/stdout, /dev/null, a FIFO) is
// written through: opened and written in place, never replaced. "-" and "/dev/stdout"
// are standard output itself (std::cout), not a second descriptor with its own offset.
#ifndef RUNNEL_TRAINER_IO_ATOMIC_FILE_H_
#define RUNNEL_TRAINER_IO_ATOMIC_FILE_H_

#include <cstdint>
#include <fstream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace runnel::io {

class AtomicFile {
 public:
  // `shown` is how errors name the file (default: `path`). Throws std::runtime_error
  // ("<shown>: cannot write: <reason>") when the file cannot be created.
  explicit AtomicFile(const std::string& path, const std::string& shown = "");
  ~AtomicFile();   // without commit(): the temporary file is removed, the old file kept
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() { return *out_; }
  // Throws std::runtime_error naming the file when a write, the fsync or the rename failed.
  void commit();

  // Whether `path` is written through rather than replaced (see the file comment).
  static bool writes_through(const std::string& path);
  // "-" or "/dev/stdout".
  static bool is_standard_output(const std::string& path) { return path == "-" || path == "/dev/stdout"; }

 private:
  std::string path_, shown_, tmp_;   // tmp_ empty: written through
  std::ofstream file_;
  std::ostream* out_ = &file_;
  bool done_ = false;
};

// Removes the "<name>.tmp-<pid>" files in `dir` (not recursively) that an AtomicFile left
// behind because its process died between create and rename (kill -9, power loss). Only
// files whose process is no longer running go: a live writer's temporary file (another
// runnel on the same directory) is never touched. Returns the paths removed.
std::vector<std::string> remove_stale_temp_files(const std::string& dir);

// AtomicFile for bytes already in memory.
void write_file_atomically(const std::string& path, std::string_view bytes);
inline void write_file_atomically(const std::string& path, const std::vector<uint8_t>& bytes) {
  write_file_atomically(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace runnel::io

#endif  // RUNNEL_TRAINER_IO_ATOMIC_FILE_H_
