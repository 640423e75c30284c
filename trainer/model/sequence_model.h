// A model of the runnel family built from a config: streams -> encoders -> fusion ->
// heads, as a flat list of trainer/nn modules that mirrors the .rnl op list one to one
// (each module exports exactly one record), so the engine computes the same function one
// event at a time.
#ifndef RUNNEL_TRAINER_MODEL_SEQUENCE_MODEL_H_
#define RUNNEL_TRAINER_MODEL_SEQUENCE_MODEL_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trainer/autograd/parameters.h"
#include "trainer/config/config_error.h"
#include "trainer/data/dataset.h"
#include "trainer/export/rnl_writer.h"

namespace runnel::model {

using config::ConfigError;

struct HeadSpec {
  std::string name;          // unique, used in metrics ("event_type", "sum", ...)
  std::string target;        // key of data::Batch::targets
  bool categorical = false;
  bool sequence_level = false;
  double weight = 1.0;       // in the loss: weighted mean of per-head losses
};

// Per-head statistics over some rows of a batch (add them up over batches).
struct HeadStats {
  double loss_sum = 0;       // sum over counted positions (CE or squared error)
  std::size_t count = 0;     // counted positions (targets not ignored)
  std::size_t correct = 0;   // categorical: top-1 hits
  std::size_t correct_top5 = 0;
  std::vector<std::size_t> true_positive, predicted, actual;   // categorical, per class: macro-F1
  void add(const HeadStats& other);
  double mean_loss() const { return count ? loss_sum / static_cast<double>(count) : 0.0; }
};

struct ForwardResult {
  ag::Var<float> loss;                 // scalar: this row range's share of the batch loss
  std::vector<HeadStats> heads;        // in heads() order, over the row range
};

class SequenceModel {
 public:
  // From the config's "model" section; throws ConfigError naming the field.
  SequenceModel(const nlohmann::json& model_section, const data::DataSchema& schema);
  ~SequenceModel();
  SequenceModel(SequenceModel&&) noexcept;

  // Creates every parameter (named as the exporter writes them), seeded.
  void init_parameters(ag::ParameterSet<float>& params, uint64_t seed) const;
  // The parameter elements init_parameters() creates, counted without allocating them.
  uint64_t parameter_count() const;

  // Forward over rows [row_begin, row_end) of `batch`. The loss is normalised by the
  // whole batch's per-head target counts, so the losses of a partition of the rows add up
  // to the batch loss: sum over heads of weight_h * (sum of row-range losses_h / count_h),
  // divided by the sum of weights. `training` enables dropout (seeded by dropout_seed).
  ForwardResult forward(const ag::ParameterSet<float>& params, const data::Batch& batch, std::size_t row_begin,
                        std::size_t row_end, bool training, uint64_t dropout_seed) const;

  // Every head's output at every position, [B, T, width], without gradients: what the
  // engine must reproduce event by event (parity) and what prediction reads.
  std::map<std::string, xt::xarray<float>> outputs(const ag::ParameterSet<float>& params,
                                                   const data::Batch& batch) const;

  // The .rnl file: graph records, tensors, vocabularies from the schema.
  rnl::RnlWriter export_rnl(const ag::ParameterSet<float>& params) const;

  const std::vector<HeadSpec>& heads() const;
  const data::DataSchema& schema() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace runnel::model

#endif  // RUNNEL_TRAINER_MODEL_SEQUENCE_MODEL_H_
