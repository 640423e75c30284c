// libFuzzer target for the event-log CSV path (build and run: tools/fuzz/run_fuzz.sh csv).
//
// Each input is read twice: record by record through CsvReader (every field also parsed
// as a number), and whole through read_event_log with a schema of the curl log's shape
// (entity, time, two categorical columns, one log1p numeric column). Bad input must end
// in a CsvError naming file:line(:column); any other exception escapes and libFuzzer
// reports it, as it does crashes, leaks and sanitizer findings.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "trainer/data/csv_reader.h"
#include "trainer/data/event_log.h"

namespace {

void read_records(const std::string& text) {
  std::istringstream in(text);
  try {
    runnel::data::CsvReader csv(in, "fuzz.csv");
    while (csv.next())
      for (std::size_t col = 0; col < csv.row().size(); ++col) {
        try {
          volatile double v = csv.number(col);
          (void)v;
        } catch (const runnel::data::CsvError&) {
        }
      }
  } catch (const runnel::data::CsvError&) {
  }
}

void read_log(const std::string& text) {
  runnel::data::EventLogOptions options;
  options.fields = {"event_type", "location"};
  options.numeric = {{"n_files", "log1p"}};
  options.window = 8;
  std::istringstream in(text);
  try {
    volatile std::size_t n = runnel::data::read_event_log(in, "fuzz.csv", options).size();
    (void)n;
  } catch (const runnel::data::CsvError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  read_records(text);
  read_log(text);
  return 0;
}
