// Small valid models with deterministic random weights, built with the writer: the
// testdata/models/*.rnl files, the round-trip tests and the fuzzer's seeds all use these.
#ifndef RUNNEL_TOOLS_TESTDATA_SAMPLE_MODELS_H_
#define RUNNEL_TOOLS_TESTDATA_SAMPLE_MODELS_H_

#include <string>
#include <vector>

#include "trainer/export/rnl_writer.h"

namespace runnel {
namespace testdata {

struct SampleModel {
  std::string name;           // file stem: testdata/models/<name>.rnl
  rnl::RnlWriter writer;
};

// single_stream: embed(2 fields) + numeric + time -> sinusoidal -> LayerNorm ->
//   attention pooling -> dense -> a categorical and a regression head.
rnl::RnlWriter single_stream_model();
// two_stream: (learned positions -> self-attention -> mean) and (embed -> GRU), plus
//   static features -> concat -> dense -> one categorical head per field (4 fields; the
//   last through a copy head).
rnl::RnlWriter two_stream_model();
// all_encoders: conv1d, LSTM, linear/exp decay, learned position weights, cross-attention
//   fusion, activation, L2 normalisation, running max -> regression head.
rnl::RnlWriter all_encoders_model();

std::vector<SampleModel> sample_models();

}  // namespace testdata
}  // namespace runnel

#endif  // RUNNEL_TOOLS_TESTDATA_SAMPLE_MODELS_H_
