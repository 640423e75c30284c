// io::AtomicFile, the one atomic writer: a regular file is replaced whole or not at all
// (no temporary file left either way); a symlink, a FIFO or a device is written through
// and stays what it was.
#define BOOST_TEST_MODULE io_atomic_file
#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "trainer/io/atomic_file.h"

namespace fs = std::filesystem;
using runnel::io::AtomicFile;
using runnel::io::write_file_atomically;

namespace {
struct TempDir {
  fs::path path;
  TempDir() {
    const char* t = std::getenv("TEST_TMPDIR");
    path = fs::path(t && *t ? t : "/tmp") / ("io_atomic_file_" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::size_t entries() const { return static_cast<std::size_t>(std::distance(fs::directory_iterator(path), fs::directory_iterator())); }
};

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

BOOST_AUTO_TEST_CASE(regular_file_replaced_whole) {
  TempDir d;
  const fs::path f = d.path / "out.csv";
  write_file_atomically(f.string(), "old\n");
  write_file_atomically(f.string(), "new\n");
  BOOST_TEST(read(f) == "new\n");
  BOOST_TEST(d.entries() == 1u);   // no temporary file left
}

BOOST_AUTO_TEST_CASE(uncommitted_write_keeps_the_old_file) {
  TempDir d;
  const fs::path f = d.path / "out.csv";
  write_file_atomically(f.string(), "old\n");
  {
    AtomicFile a(f.string());
    a.stream() << "half of the new";
  }   // an error before commit()
  BOOST_TEST(read(f) == "old\n");
  BOOST_TEST(d.entries() == 1u);
}

BOOST_AUTO_TEST_CASE(symlink_is_written_through_not_replaced) {
  TempDir d;
  const fs::path target = d.path / "target.csv", link = d.path / "link.csv";
  write_file_atomically(target.string(), "old\n");
  fs::create_symlink(target, link);
  BOOST_TEST(AtomicFile::writes_through(link.string()));
  write_file_atomically(link.string(), "new\n");
  BOOST_TEST(fs::is_symlink(link));
  BOOST_TEST(read(target) == "new\n");
  BOOST_TEST(d.entries() == 2u);
}

BOOST_AUTO_TEST_CASE(fifo_is_written_through) {
  TempDir d;
  const fs::path fifo = d.path / "pipe";
  BOOST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string got;
  std::thread reader([&] { got = read(fifo); });
  write_file_atomically(fifo.string(), "through the pipe\n");
  reader.join();
  BOOST_TEST(got == "through the pipe\n");
  BOOST_TEST(fs::is_fifo(fifo));
  BOOST_TEST(d.entries() == 1u);
}

BOOST_AUTO_TEST_CASE(devices_and_standard_output_are_written_through) {
  BOOST_TEST(AtomicFile::writes_through("/dev/null"));
  BOOST_TEST(AtomicFile::writes_through("-"));
  BOOST_TEST(AtomicFile::writes_through("/dev/stdout"));
  write_file_atomically("/dev/null", "discarded\n");   // no temporary file beside /dev/null
  BOOST_TEST(!fs::exists("/dev/null.tmp"));
  BOOST_TEST(!AtomicFile::writes_through("/nonexistent-dir/new-file"));
}

BOOST_AUTO_TEST_CASE(errors_name_the_file) {
  try {
    write_file_atomically("/nonexistent-dir/out.csv", "x");
    BOOST_FAIL("no error");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string(e.what()).rfind("/nonexistent-dir/out.csv: cannot write", 0) == 0, e.what());
  }
}
