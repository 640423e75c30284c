// A model as a flat list of modules in execution order, each reading earlier nodes: the
// trainer-side mirror of the .rnl op list (node i is record i).
#ifndef RUNNEL_TRAINER_NN_GRAPH_H_
#define RUNNEL_TRAINER_NN_GRAPH_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "trainer/data/dataset.h"
#include "trainer/export/rnl_writer.h"
#include "trainer/nn/module.h"

namespace runnel::nn {

class Graph {
 public:
  // Appends a module reading the given earlier nodes; returns its node index.
  int add(std::unique_ptr<Module> module, std::vector<int> inputs = {});
  template <class M, class... Args>
  int emplace(std::vector<int> inputs, Args&&... args) {
    return add(std::make_unique<M>(std::forward<Args>(args)...), std::move(inputs));
  }

  // Dropout on a node's output while training (no op of its own: identity in the file).
  // The mask of each batch row depends only on (dropout_seed, node, row), so a shard sees
  // exactly the masks the whole batch would.
  void set_dropout(int node, float p);

  std::size_t size() const { return nodes_.size(); }
  const Module& module(int node) const { return *nodes_.at(node).module; }
  const std::vector<int>& inputs(int node) const { return nodes_.at(node).inputs; }
  std::size_t width(int node) const { return nodes_.at(node).module->width(); }
  // Nodes whose op is kOutput, in order (the engine's output order).
  std::vector<int> outputs() const;

  // Every module's parameters, from one generator seeded with `seed`, in node order.
  void init(Params& params, uint64_t seed) const;
  // The parameter elements init() would create, counted without creating them.
  uint64_t parameter_count() const;
  // Every node's output, [rows, T, width] each.
  std::vector<Var> forward(const Context& ctx) const;
  // One record per node (tensors shared by name are written once).
  void export_records(rnl::RnlWriter& writer, const Params& params) const;

 private:
  struct Node {
    std::unique_ptr<Module> module;
    std::vector<int> inputs;
    float dropout = 0.f;
  };
  std::vector<Node> nodes_;
};

// The whole file: the schema's vocabularies (plus `extra_vocabs`, output-only class
// vocabularies appended after the event fields), its input columns, counts, the graph's
// records, and the outputs' head names (`output_names`, in output order; default
// "output<k>").
struct ExtraVocab {
  std::string name;
  std::vector<std::string> strings;   // ids 1..
};
rnl::RnlWriter export_graph(const Graph& graph, const Params& params, const data::DataSchema& schema,
                            const std::vector<ExtraVocab>& extra_vocabs = {},
                            const std::vector<std::string>& output_names = {});

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_GRAPH_H_
