#include "trainer/io/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <stdexcept>

namespace runnel::io {
namespace {
std::string directory_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
}

[[noreturn]] void fail(const std::string& shown, const std::string& what, int err) {
  throw std::runtime_error(shown + ": " + what + (err ? std::string(": ") + std::strerror(err) : ""));
}

// fsync through a descriptor of its own: std::ofstream does not expose one, and any
// descriptor of a file flushes the file's data.
bool fsync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  return ::close(fd) == 0 && ok;
}

// "<path>.tmp-<pid>": the writing process is in the name, so a file left by a killed
// process can be told from one being written (remove_stale_temp_files).
constexpr char kTempInfix[] = ".tmp-";

std::string temporary_name(const std::string& path) {
  return path + kTempInfix + std::to_string(static_cast<long>(::getpid()));
}

// The pid of a "<name>.tmp-<pid>" file name, or -1.
long temp_file_pid(const std::string& name) {
  const auto at = name.rfind(kTempInfix);
  if (at == std::string::npos || at == 0) return -1;
  const std::string digits = name.substr(at + sizeof kTempInfix - 1);
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::stol(digits);
}

bool process_running(long pid) {
  if (pid == static_cast<long>(::getpid())) return true;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;  // EPERM: exists, owned by another user
}
}  // namespace

bool AtomicFile::writes_through(const std::string& path) {
  struct stat st;
  if (is_standard_output(path)) return true;
  return ::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode);
}

AtomicFile::AtomicFile(const std::string& path, const std::string& shown)
    : path_(path), shown_(shown.empty() ? path : shown) {
  if (is_standard_output(path_)) {
    out_ = &std::cout;
    return;
  }
  if (!writes_through(path_)) tmp_ = temporary_name(path_);
  errno = 0;
  file_.open(tmp_.empty() ? path_ : tmp_, std::ios::binary | std::ios::trunc);
  if (!file_) fail(shown_, "cannot write", errno);
}

AtomicFile::~AtomicFile() {
  if (done_ || tmp_.empty()) return;
  file_.close();
  std::remove(tmp_.c_str());
}

void AtomicFile::commit() {
  errno = 0;
  if (!out_->flush()) fail(shown_, "write failed", errno);
  if (out_ != &file_) {
    done_ = true;
    return;
  }
  file_.close();
  if (!file_) fail(shown_, "write failed", errno);
  if (tmp_.empty()) {
    done_ = true;
    return;
  }
  if (!fsync_path(tmp_, O_RDONLY)) fail(shown_, "cannot flush to disk", errno);
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) fail(shown_, "cannot rename into place", errno);
  done_ = true;
  // Makes the rename itself durable; the file is in place whether or not this succeeds.
  fsync_path(directory_of(path_), O_RDONLY | O_DIRECTORY);
}

std::vector<std::string> remove_stale_temp_files(const std::string& dir) {
  std::vector<std::string> removed;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    const long pid = temp_file_pid(name);
    if (pid <= 0 || process_running(pid) || !e.is_regular_file(ec)) continue;
    if (std::filesystem::remove(e.path(), ec)) removed.push_back(e.path().string());
  }
  return removed;
}

void write_file_atomically(const std::string& path, std::string_view bytes) {
  AtomicFile f(path);
  f.stream().write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  f.commit();
}

}  // namespace runnel::io
