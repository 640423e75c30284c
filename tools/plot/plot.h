// Training curves from run directories, rendered by gnuplot.
//
// A run directory holds metrics.csv (trainer/train/metrics.h): a header, then rows of
// kind "train" (one per step) and "eval" (one per evaluation). A metric names one
// column of one kind of row:
//   loss | lr | sec_per_step | samples_per_s      train rows (loss = weighted batch loss)
//   train:<head>:<metric>                         train rows, column <head>/<metric>
//   eval:loss                                     eval rows, weighted validation loss
//   eval:<head>:<metric>                          eval rows, column <head>/<metric>
// (<metric> = loss, accuracy, top5, macro_f1 or mse, as the run has them.)
//
// plot_runs() writes next to the output FILE.svg: FILE.dat (one gnuplot data block per
// run: step value), FILE.gp (the script), then runs gnuplot, which writes FILE.svg (and
// FILE.png when gnuplot has the pngcairo terminal and png output is asked for).
#ifndef RUNNEL_TOOLS_PLOT_PLOT_H_
#define RUNNEL_TOOLS_PLOT_PLOT_H_

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace runnel::plot {

// Errors meant for the user: the message says what and where.
struct PlotError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct MetricsRow {
  std::string kind;                            // "train" or "eval"
  long step = 0;
  std::vector<std::optional<double>> cells;    // one per column; empty cell = nullopt
};

struct MetricsTable {
  std::string path;                            // for messages
  std::vector<std::string> columns;            // header, starting with kind, step
  std::vector<MetricsRow> rows;
};

// Parses metrics.csv text; `path` only names it in errors (PlotError with path:line).
MetricsTable parse_metrics_csv(const std::string& text, const std::string& path);
// Reads `run`/metrics.csv, or `run` itself when it is a file.
MetricsTable read_metrics(const std::string& run);

// Every metric the table has at least one value for, in column order (train first).
std::vector<std::string> available_metrics(const MetricsTable& table);

struct Series {
  std::string label;
  std::vector<std::pair<long, double>> points;  // (step, value), in file order
};

// The (step, value) points of `metric`; PlotError listing the available metrics when the
// table has no such metric. smooth > 1 replaces each value by the mean of the last
// `smooth` values (trailing moving average; the first ones average what there is).
Series extract_series(const MetricsTable& table, const std::string& metric, std::size_t smooth = 1);
// Keeps every `every`-th point and the last one: long runs (tens of thousands of steps)
// would otherwise give SVG files of megabytes for a curve a few hundred pixels wide.
void thin_series(Series& series, std::size_t every);

struct PlotOptions {
  std::string output;             // FILE.svg
  std::string metric = "loss";
  std::string title;              // default: the metric
  bool logy = false;
  bool png = true;                // also FILE.png when pngcairo is available
  int width = 800, height = 500;
};

// FILE.dat content: one block per series ("# label" line, "step value" lines), blocks
// separated by two blank lines (gnuplot's `index`).
std::string gnuplot_data(const std::vector<Series>& series);
// The script that plots `data_file` to `svg_file` (and `png_file` if not empty).
std::string gnuplot_script(const std::vector<Series>& series, const PlotOptions& options,
                           const std::string& data_file, const std::string& svg_file,
                           const std::string& png_file);

// The gnuplot executable: $RUNNEL_GNUPLOT if set, else `gnuplot` found on PATH; nullopt
// when there is none.
std::optional<std::string> find_gnuplot();
// Whether that gnuplot lists the pngcairo terminal.
bool gnuplot_has_pngcairo(const std::string& gnuplot);

struct PlotResult {
  std::string svg, png, script, data;  // png empty when not written
};

// Writes FILE.dat and FILE.gp and runs gnuplot. PlotError when gnuplot is missing or
// fails (its stderr in the message) or writes no SVG.
PlotResult plot_runs(const std::vector<Series>& series, const PlotOptions& options);

}  // namespace runnel::plot

#endif  // RUNNEL_TOOLS_PLOT_PLOT_H_
