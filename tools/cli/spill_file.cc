#include "tools/cli/spill_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace runnel::cli {
namespace {

// A chunk holds this many bytes of records (or one record when a record is bigger): few
// mappings and file extensions, and little disk reserved ahead of need.
constexpr size_t kChunkTarget = size_t{16} << 20;

size_t page_bytes() {
  const long p = ::sysconf(_SC_PAGE_SIZE);
  return p > 0 ? static_cast<size_t>(p) : 4096;
}

std::string temp_dir() {
  const char* d = std::getenv("TMPDIR");
  return d != nullptr && *d != '\0' ? d : "/tmp";
}

}  // namespace

SpillFile::SpillFile(size_t record_bytes) : record_bytes_(record_bytes) {
  const size_t page = page_bytes();
  if (record_bytes_ == 0 || record_bytes_ > SIZE_MAX / 2)
    throw std::runtime_error("session spill file: a record of " + std::to_string(record_bytes_) +
                             " bytes cannot be mapped");
  per_chunk_ = record_bytes_ >= kChunkTarget ? 1 : kChunkTarget / record_bytes_;
  chunk_bytes_ = (per_chunk_ * record_bytes_ + page - 1) / page * page;
}

SpillFile::~SpillFile() {
  for (unsigned char* c : chunks_) ::munmap(c, chunk_bytes_);
  if (fd_ >= 0) ::close(fd_);
}

void SpillFile::grow() {
  if (fd_ < 0) {
    dir_ = temp_dir();
    std::string path = dir_ + "/runnel-sessions-XXXXXX";
    fd_ = ::mkstemp(path.data());
    if (fd_ < 0)
      throw std::runtime_error("cannot create the session spill file in " + dir_ + " ($TMPDIR): " +
                               std::strerror(errno));
    ::unlink(path.c_str());   // gone when the process ends, however it ends
  }
  const uint64_t offset = file_bytes_;
  if (offset > static_cast<uint64_t>(INT64_MAX) - chunk_bytes_)
    throw std::runtime_error("session spill file in " + dir_ + ": " + std::to_string(offset) + " + " +
                             std::to_string(chunk_bytes_) + " bytes exceeds the largest file offset");
  // Reserve the blocks now: writing a mapped page of a sparse file on a full disk is SIGBUS.
  const int rc = ::posix_fallocate(fd_, static_cast<off_t>(offset), static_cast<off_t>(chunk_bytes_));
  if (rc != 0)
    throw std::runtime_error("session spill file in " + dir_ + " ($TMPDIR): cannot grow from " +
                             std::to_string(offset) + " to " + std::to_string(offset + chunk_bytes_) +
                             " bytes: " + std::strerror(rc));
  void* p = ::mmap(nullptr, chunk_bytes_, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, static_cast<off_t>(offset));
  if (p == MAP_FAILED)
    throw std::runtime_error("session spill file in " + dir_ + ": cannot map " + std::to_string(chunk_bytes_) +
                             " bytes: " + std::strerror(errno));
  chunks_.push_back(static_cast<unsigned char*>(p));
  file_bytes_ += chunk_bytes_;
}

unsigned char* SpillFile::add() {
  if (records_ == chunks_.size() * per_chunk_) grow();
  const size_t i = records_++;
  return chunks_[i / per_chunk_] + (i % per_chunk_) * record_bytes_;
}

void SpillFile::drop_pages() {
  for (unsigned char* c : chunks_) ::madvise(c, chunk_bytes_, MADV_DONTNEED);
}

}  // namespace runnel::cli
