// Fixed-size records in a temporary file, mapped into memory: where `runnel run` keeps the
// engine sessions that do not fit in its memory budget (tools/cli/session_store.h).
//
// The file is created on the first record in $TMPDIR (else /tmp) and unlinked at once, so
// it disappears when the process ends, however it ends. It grows chunk by chunk; each
// chunk is reserved on disk first (posix_fallocate), so a full disk is an error naming the
// directory and the bytes, never a SIGBUS when a mapped page is written. Chunks are mapped
// separately and never moved, so a record's address stays valid for the file's life.
// Records start on a 64-byte line (the engine's alignment for session memory).
#ifndef RUNNEL_TOOLS_CLI_SPILL_FILE_H_
#define RUNNEL_TOOLS_CLI_SPILL_FILE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace runnel::cli {

class SpillFile {
 public:
  // `record_bytes`: a multiple of 64.
  explicit SpillFile(size_t record_bytes);
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  // A new record at the end (growing the file by a chunk when needed). Throws
  // std::runtime_error when the file cannot be created, grown or mapped.
  unsigned char* add();
  size_t records() const { return records_; }
  uint64_t file_bytes() const { return file_bytes_; }

  // Unmaps every page from this process (madvise MADV_DONTNEED); their contents stay in
  // the file, and a later access reads them back. What keeps the process's resident
  // memory within its budget however many records there are.
  void drop_pages();

 private:
  void grow();

  size_t record_bytes_, per_chunk_, chunk_bytes_;
  int fd_ = -1;
  std::string dir_;
  std::vector<unsigned char*> chunks_;
  size_t records_ = 0;
  uint64_t file_bytes_ = 0;
};

}  // namespace runnel::cli

#endif  // RUNNEL_TOOLS_CLI_SPILL_FILE_H_
