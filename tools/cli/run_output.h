// Output helpers shared by `runnel run` and `runnel demo`.
#ifndef RUNNEL_TOOLS_CLI_RUN_OUTPUT_H_
#define RUNNEL_TOOLS_CLI_RUN_OUTPUT_H_

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "tools/cli/session_pool.h"
#include "trainer/io/atomic_file.h"

namespace runnel::cli {

// An output file the user named: resolved against their directory, its parent directories
// created, written whole or not at all (io::AtomicFile; "-" is standard output).
class OutputFile : public io::AtomicFile {
 public:
  explicit OutputFile(const std::string& shown_path);
};

void print_accuracy(const std::vector<FieldAccuracy>& fields, int topk, std::FILE* out = stdout);
void print_sequence_accuracy(const SequenceAccuracy& s, std::FILE* out = stdout);
double percentile(std::vector<double> v, double p);
void print_latency(const std::vector<double>& micros, std::FILE* out = stdout);

}  // namespace runnel::cli

#endif  // RUNNEL_TOOLS_CLI_RUN_OUTPUT_H_
