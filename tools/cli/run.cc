// runnel run --model FILE.rnl --events FILE.csv: streams a CSV event log through the
// engine, one session per entity, and reports next-event predictions and accuracy.
//
// Columns: everything comes from the model file's input schema: the entity and time
// columns (--entity-column / --time-column override them; time in seconds, non-decreasing
// per entity), one column per categorical event field (named as the model's
// vocabularies; matched exactly, else ignoring case and '_', '-', ' ' so "EventType" finds
// "event_type" — such matches are listed with the results, two candidates are an error),
// the numeric columns (log1p and standardisation as stored in the model; an empty or NA
// cell is a missing value; a value must fit float32) and the static columns (read from an
// entity's first row). Values not in a vocabulary map to the unknown id; a log none of
// whose values is in the model's vocabularies is an error (vocab_coverage.h).
//
// Memory: one engine session per entity, allocated as entities arrive, up to
// --session-memory; past it the least recently used sessions are spilled to a temporary
// file and read back when their entity returns (tools/cli/session_store.h): every entity
// keeps its whole history, however many there are. --max-entities N makes a further
// entity an error.
//
// Predictions (--out, - = standard output): after each event, the top-k values of every
// categorical output and the value of every regression output for the entity's next
// event, beside that event's true value (prediction_writer.h). Written whole or not at
// all (io::AtomicFile), so an error leaves no partial file.
// Accuracy: an event's prediction is scored when the entity's next event arrives.
// Top-1 and top-k (--topk) next-event accuracy per field are printed.
// --split F: score only each entity's held-out events, those after its first ⌊F·n⌋
// events (n = the entity's rows in the file): the trainer's chronological split with
// data.train_fraction F. Every event is still streamed (held-out events are predicted
// from all earlier events of the entity). Needs one extra pass over the file to count n.
// --beam B --horizon K: after the last row, beam search over each live entity's next K
// events (engine/beam_search.h); results to --beam-out or stdout.
// --sequence-accuracy (with --beam/--horizon): after every event, beam search over the next
// K events; the best beam is compared with the entity's true next K events (scored when
// the first of them is scored): sequence accuracy (all fields of all K events right),
// per field (right at all K steps) and per field per step. The end-of-log beam listing is
// then written only with --beam-out.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/numeric_input.h"
#include "tools/cli/command.h"
#include "tools/cli/count_check.h"
#include "tools/cli/memory_budget.h"
#include "tools/cli/model_loader.h"
#include "tools/cli/prediction_writer.h"
#include "tools/cli/run_output.h"
#include "tools/cli/session_pool.h"
#include "tools/cli/vocab_coverage.h"
#include "trainer/data/csv_reader.h"
#include "trainer/data/event_log.h"

namespace runnel::cli {
namespace {

struct RunOptions {
  std::string model, events, out, beam_out;
  int topk = 3;
  size_t max_entities = 0;   // 0 = no limit
  SessionBudget session_memory;
  std::string entity_column, time_column;   // "" = the model's (else "entity" / "time")
  unsigned beam = 0, horizon = 5;
  double split = 0;          // 0 = score every event
  bool sequence_accuracy = false;
};

std::string normalise(std::string_view s) {
  std::string out;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The column of a model field: the one named exactly so, else the only one equal to it
// ignoring case and punctuation ("field <- column" is appended to `loose`, printed with
// the results, so such a match is never silent); two such columns are an error.
size_t field_column(const data::CsvReader& csv, std::string_view field, std::vector<std::string>* loose) {
  const long exact = csv.find_column(std::string(field));
  if (exact >= 0) return static_cast<size_t>(exact);
  const auto& h = csv.header();
  std::vector<size_t> near;
  for (size_t i = 0; i < h.size(); ++i)
    if (!normalise(field).empty() && normalise(h[i]) == normalise(field)) near.push_back(i);
  if (near.size() > 1)
    throw std::runtime_error(csv.name() + ":1: columns '" + h[near[0]] + "' and '" + h[near[1]] +
                             "' both match the model's field '" + std::string(field) +
                             "' (ignoring case and punctuation): rename one");
  if (near.empty()) return csv.column(std::string(field));   // throws "file:1: missing column ..."
  loose->push_back(std::string(field) + " <- " + h[near[0]]);
  return near[0];
}

// The column the model names for `role`, unless the user gave one; `fallback` for models
// without one (trained on generated data).
std::string column_name(const rnl::ModelFile& file, rnl::ColumnRole role, const std::string& given,
                        const char* fallback) {
  if (!given.empty()) return given;
  const int32_t i = file.find_column(role);
  return i >= 0 ? std::string(file.column(static_cast<uint32_t>(i)).name) : fallback;
}

std::string format_time(double t) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", t);
  return buf;
}

// Entities and where their sessions ended up: how the session memory followed them.
void print_session_memory(const std::string& events, const EventStreamer& streamer, size_t session_bytes,
                          const SessionBudget& budget, std::FILE* out) {
  const SessionStore& st = streamer.pool().store();
  std::fprintf(out, "%s: %zu events, %zu entities, %zu spilled\n", events.c_str(), streamer.events(), st.entities(),
              st.spilled_entities());
  std::fprintf(out, "memory: %zu bytes per session; %zu sessions resident in %s (with scratch), within %s\n", session_bytes,
              st.resident(), human_bytes(st.resident_bytes()).c_str(), budget.describe().c_str());
  if (st.spilled_entities() > 0)
    std::fprintf(out, "spilled: %zu entities at least once, to a temporary file of %s in $TMPDIR (%zu spills, %zu restores)\n",
                st.spilled_entities(), human_bytes(st.spill_file_bytes()).c_str(), st.spills(), st.restores());
}

int run(const RunOptions& o) {
  LoadedModel loaded = load_model(o.model);
  const Model& model = *loaded.model;
  const rnl::ModelFile& file = model.file();
  // "-": the events come from standard input (one pass, so no --split).
  const bool from_stdin = o.events == "-";
  if (from_stdin && o.split > 0) throw std::runtime_error("--split reads the events twice: give a file, not -");
  std::unique_ptr<data::CsvReader> reader = from_stdin ? std::make_unique<data::CsvReader>(std::cin, "stdin")
                                                       : std::make_unique<data::CsvReader>(resolve_user_path(o.events), o.events);
  data::CsvReader& csv = *reader;

  // Columns, from the model's input schema.
  const std::string entity_name = column_name(file, rnl::ColumnRole::kEntity, o.entity_column, "entity");
  const size_t entity_col = csv.column(entity_name);
  const size_t time_col = csv.column(column_name(file, rnl::ColumnRole::kTime, o.time_column, "time"));
  // Event fields need a column; output-only vocabularies (a class label's names) do not:
  // they get id 0.
  constexpr size_t kNoColumn = static_cast<size_t>(-1);
  std::vector<size_t> field_cols;
  std::vector<std::string> loose;
  for (uint32_t f = 0; f < file.n_vocabs(); ++f)
    field_cols.push_back(file.vocab(f).kind() == rnl::VocabKind::kEventField
                             ? field_column(csv, file.vocab(f).field(), &loose)
                             : kNoColumn);
  std::vector<std::string> field_columns;
  for (size_t c : field_cols) field_columns.push_back(c == kNoColumn ? "" : csv.header()[c]);
  VocabCoverage coverage(file, field_columns);
  std::vector<size_t> numeric_cols, static_cols;
  for (uint32_t i = 0; i < file.n_columns(); ++i) {
    const rnl::ColumnView c = file.column(i);
    if (c.role == rnl::ColumnRole::kNumeric) numeric_cols.push_back(csv.column(std::string(c.name)));
    if (c.role == rnl::ColumnRole::kStatic) static_cols.push_back(csv.column(std::string(c.name)));
  }

  // --split: rows per entity (first pass), then the index of each entity's next row.
  std::unordered_map<std::string, size_t> rows_of, index_of;
  if (o.split > 0) {
    data::CsvReader count(resolve_user_path(o.events), o.events);
    const size_t col = count.column(entity_name);
    while (count.next()) ++rows_of[count.field(col)];
  }
  if (o.sequence_accuracy && o.beam == 0) throw std::runtime_error("--sequence-accuracy needs --beam B (and --horizon K)");

  // With predictions on standard output, the report goes to standard error.
  std::FILE* report =
      io::AtomicFile::is_standard_output(o.out) || io::AtomicFile::is_standard_output(o.beam_out) ? stderr : stdout;
  EventStreamer streamer(model, o.topk, o.session_memory);
  if (o.sequence_accuracy) streamer.enable_sequence_eval(o.beam, o.horizon);
  std::unique_ptr<OutputFile> preds;
  std::unique_ptr<PredictionWriter> writer;
  if (!o.out.empty()) {
    preds = std::make_unique<OutputFile>(o.out);
    writer = std::make_unique<PredictionWriter>(preds->stream(), model, field_cols, numeric_cols);
    streamer.on_prediction = [&](const Prediction& p) { writer->categorical(p); };
  }

  std::vector<int32_t> ids(file.n_vocabs());
  std::vector<float> raw_numeric(numeric_cols.size()), numeric(file.n_numeric());
  std::vector<float> raw_statics(static_cols.size()), statics(file.n_static());
  while (csv.next()) {
    const std::string& entity = csv.field(entity_col);
    if (entity.empty()) csv.fail(entity_col, "empty entity");
    const double time = csv.number(time_col);
    double previous = 0;
    const bool known = streamer.last_time(entity, &previous);
    if (!known && o.max_entities != 0 && streamer.pool().size() == o.max_entities)
      csv.fail(entity_col, "entity '" + entity + "' is one more than --max-entities " + std::to_string(o.max_entities));
    if (known && time < previous)
      csv.fail(time_col, "time " + format_time(time) + " is earlier than entity '" + entity +
                             "''s previous event (" + format_time(previous) + "); events must be in time order per entity");
    for (size_t f = 0; f < field_cols.size(); ++f) {
      if (field_cols[f] == kNoColumn) {
        ids[f] = 0;
        continue;
      }
      const std::string& value = csv.field(field_cols[f]);
      ids[f] = static_cast<int32_t>(file.vocab(static_cast<uint32_t>(f)).id(value));
      coverage.add(static_cast<uint32_t>(f), value, ids[f]);
    }
    for (size_t k = 0; k < numeric_cols.size(); ++k)
      raw_numeric[k] = static_cast<float>(csv.float32_number_or_missing(numeric_cols[k]));
    if (prepare_numeric(file, raw_numeric.data(), static_cast<uint32_t>(raw_numeric.size()), numeric.data(),
                        static_cast<uint32_t>(numeric.size())) != Status::kOk)
      csv.fail_line("a numeric value is too large for float32");
    // Static values are checked on every row, used from an entity's first.
    for (size_t k = 0; k < static_cols.size(); ++k) raw_statics[k] = static_cast<float>(csv.float32_number(static_cols[k]));
    if (prepare_static(file, raw_statics.data(), static_cast<uint32_t>(raw_statics.size()), statics.data()) !=
        Status::kOk)
      csv.fail_line("a static value is too large for float32");
    bool score = true, beam_next = true;
    if (o.split > 0) {
      const size_t first_scored = data::train_count(rows_of[entity], o.split);
      const size_t i = index_of[entity]++;
      score = i >= first_scored;
      beam_next = i + 1 >= first_scored;
    }
    if (writer) writer->next_event(entity, csv.row());
    const Status s = streamer.push(entity, time, ids.data(), numeric.data(), statics.data(), score, beam_next);
    if (s == Status::kPositionOutOfRange)
      csv.fail_line("entity '" + entity + "' has more events than the model's learned positions allow (max_len " +
                    std::to_string(model.max_events()) + ")");
    if (s != Status::kOk) csv.fail_line(std::string("engine rejected the event: ") + status_name(s) + ": " + status_message(s));
    if (writer) writer->regression(entity, time, streamer.pool().session(streamer.pool().find(entity)));
  }

  // Before anything is written: a log none of whose values the model knows is an error.
  for (const std::string& warning : coverage.check(o.events)) std::fprintf(stderr, "%s\n", warning.c_str());
  if (!loose.empty()) {
    std::string list;
    for (const std::string& l : loose) list += (list.empty() ? "" : ", ") + l;
    std::fprintf(report, "fields read from columns named differently (case, punctuation): %s\n", list.c_str());
  }

  std::unique_ptr<OutputFile> beam_file;
  if (o.beam > 0 && (!o.sequence_accuracy || !o.beam_out.empty())) {
    std::ostream* out = &std::cout;
    if (!o.beam_out.empty()) {
      beam_file = std::make_unique<OutputFile>(o.beam_out);
      out = &beam_file->stream();
    } else {
      std::cout << "beam search (width " << o.beam << ", next " << o.horizon << " events per entity):\n";
    }
    *out << "entity,rank,log_prob,step";
    for (uint32_t f = 0; f < file.n_vocabs(); ++f) *out << ',' << data::csv_quote(std::string(file.vocab(f).field()));
    *out << '\n';
    streamer.beam_all(o.beam, o.horizon, [&](const EventStreamer::BeamResult& r) {
      for (uint32_t step = 0; step < r.search->horizon(); ++step) {
        *out << data::csv_quote(*r.entity) << ',' << r.rank + 1 << ',' << r.score << ',' << step + 1;
        const int32_t* row = r.search->ids(r.rank, step);
        for (uint32_t f = 0; f < file.n_vocabs(); ++f)
          *out << ',' << data::csv_quote(std::string(file.vocab(f).string(static_cast<uint32_t>(row[f]))));
        *out << '\n';
      }
    });
  }
  if (writer) writer->finish();
  if (preds) preds->commit();
  if (beam_file) beam_file->commit();

  print_session_memory(o.events, streamer, model.session_bytes(), o.session_memory, report);
  if (o.split > 0)
    std::fprintf(report, "scored: held-out events only (after each entity's first floor(%g * n) events)\n", o.split);
  print_accuracy(streamer.accuracy(), o.topk, report);
  if (o.sequence_accuracy) print_sequence_accuracy(streamer.sequence_accuracy(), report);
  print_latency(streamer.step_micros(), report);
  if (preds) std::fprintf(report, "predictions (top %d per field, true next value beside): %s\n", o.topk, o.out.c_str());
  if (beam_file) std::fprintf(report, "beam search: %s\n", o.beam_out.c_str());
  return 0;
}

}  // namespace

CommandRunner setup_run(CLI::App& sub) {
  auto o = std::make_shared<RunOptions>();
  sub.add_option("--model", o->model, "model file (.rnl)")->required();
  sub.add_option("--events", o->events, "CSV event log with a header row (- = standard input)")->required();
  sub.add_option("--out", o->out, "write per-event top-k predictions (CSV) here (- = standard output)");
  sub.add_option("--topk", o->topk, "predictions per field and event (default 3)")
      ->check(count_check(1, INT_MAX, "predictions per field and event"));
  sub.add_option("--max-entities", o->max_entities, "stop with an error at a further entity (default: no limit)")
      ->check(CLI::PositiveNumber);
  sub.add_option_function<std::string>(
         "--session-memory",
         [o](const std::string& text) {
           o->session_memory.bytes = parse_size("--session-memory", text);
           o->session_memory.given = text;
         },
         "memory for resident sessions, e.g. 512M (default: a quarter of RAM); past it sessions are spilled to a "
         "temporary file in $TMPDIR")
      ->type_name("BYTES");
  sub.add_option("--entity-column", o->entity_column, "entity column (default: the model's)");
  sub.add_option("--time-column", o->time_column, "time column in seconds (default: the model's)");
  sub.add_option("--beam", o->beam, "beam width: predict each entity's next --horizon events after the last row");
  sub.add_option("--horizon", o->horizon, "events predicted by beam search (default 5)")->check(CLI::PositiveNumber);
  sub.add_option("--beam-out", o->beam_out, "write beam search results (CSV) here instead of stdout (- = stdout)");
  sub.add_option("--split", o->split,
                 "score only each entity's events after its first floor(F*n) (the trainer's train_fraction F)")
      ->check(CLI::Range(0.0, 1.0));
  sub.add_flag("--sequence-accuracy", o->sequence_accuracy,
               "beam search after every event; score the best beam against the next --horizon true events");
  return [o] { return run(*o); };
}

}  // namespace runnel::cli
