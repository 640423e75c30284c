// Output helpers shared by `runnel run` and `runnel demo`.
#ifndef RUNNEL_TOOLS_CLI_RUN_OUTPUT_H_
#define RUNNEL_TOOLS_CLI_RUN_OUTPUT_H_

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "tools/cli/session_pool.h"

namespace runnel::cli {

// A file written whole or not at all: writes go to "<path>.tmp.<pid>", commit() renames
// it into place; destroyed without commit (an error), the temporary file is removed.
class AtomicFile {
 public:
  explicit AtomicFile(const std::string& shown_path);   // resolved against the user's directory
  ~AtomicFile();
  std::ostream& stream() { return out_; }
  void commit();

 private:
  std::string shown_, path_, tmp_;
  std::ofstream out_;
  bool done_ = false;
};

void print_accuracy(const std::vector<FieldAccuracy>& fields, int topk);
void print_sequence_accuracy(const SequenceAccuracy& s);
double percentile(std::vector<double> v, double p);
void print_latency(const std::vector<double>& micros);

}  // namespace runnel::cli

#endif  // RUNNEL_TOOLS_CLI_RUN_OUTPUT_H_
