#include "tools/cli/prediction_writer.h"

#include <cstdio>
#include <sstream>

#include "trainer/data/csv_reader.h"

namespace runnel::cli {
namespace {
std::string number_text(double x, const char* format) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, x);
  return buf;
}
}  // namespace

PredictionWriter::PredictionWriter(std::ostream& out, const Model& model, std::vector<size_t> field_columns,
                                   std::vector<size_t> numeric_columns)
    : out_(out), model_(model), field_columns_(std::move(field_columns)) {
  // A regression output's numeric index -> the column whose value it predicts.
  const rnl::ModelFile& file = model.file();
  for (uint32_t k = 0; k < model.n_outputs(); ++k) {
    size_t column = kNoColumn, c = 0;
    for (uint32_t i = 0; i < file.n_columns(); ++i) {
      const rnl::ColumnView col = file.column(i);
      if (col.role != rnl::ColumnRole::kNumeric) continue;
      if (model.output(k).numeric >= 0 && col.index == static_cast<uint32_t>(model.output(k).numeric))
        column = numeric_columns.at(c);
      ++c;
    }
    regression_columns_.push_back(column);
  }
  out_ << "entity,time,field,rank,value,probability,next\n";
}

std::vector<PredictionWriter::Row>& PredictionWriter::pending(const std::string& entity) {
  auto it = pending_.find(entity);
  if (it == pending_.end()) {
    entities_.push_back(entity);
    it = pending_.emplace(entity, std::vector<Row>{}).first;
  }
  return it->second;
}

void PredictionWriter::next_event(const std::string& entity, const std::vector<std::string>& row) {
  const auto it = pending_.find(entity);
  if (it == pending_.end()) return;
  for (const Row& r : it->second)
    out_ << r.text << ',' << (r.column == kNoColumn ? "" : data::csv_quote(row.at(r.column))) << '\n';
  it->second.clear();
}

void PredictionWriter::categorical(const Prediction& p) {
  std::ostringstream text;
  text << data::csv_quote(*p.entity) << ',' << number_text(p.time, "%.15g") << ',' << data::csv_quote(p.field->field)
       << ',' << p.rank << ',' << data::csv_quote(std::string(p.value, p.value_len)) << ',' << p.probability;
  pending(*p.entity).push_back(Row{text.str(), field_columns_.at(static_cast<size_t>(p.field->field_index))});
}

void PredictionWriter::regression(const std::string& entity, double time, const Session& session) {
  for (uint32_t k = 0; k < model_.n_outputs(); ++k) {
    if (model_.output(k).kind != rnl::OutputKind::kRegression) continue;
    std::ostringstream text;
    text << data::csv_quote(entity) << ',' << number_text(time, "%.15g") << ','
         << data::csv_quote(std::string(model_.file().head_name(k))) << ",1," << session.output(k)[0] << ',';
    pending(entity).push_back(Row{text.str(), regression_columns_[k]});
  }
}

void PredictionWriter::finish() {
  for (const std::string& entity : entities_) {
    for (const Row& r : pending_[entity]) out_ << r.text << ",\n";
    pending_[entity].clear();
  }
}

}  // namespace runnel::cli
