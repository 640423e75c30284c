// runnel plot: training curves of one or more run directories (metrics.csv) to SVG/PNG
// through gnuplot (tools/plot/plot.h).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tools/cli/command.h"
#include "tools/plot/plot.h"

namespace runnel::cli {

CommandRunner setup_plot(CLI::App& sub) {
  struct Opts {
    std::vector<std::string> runs, labels;
    std::string out, metric = "loss", title;
    bool logy = false, no_png = false, list = false;
    std::size_t smooth = 1, every = 1;
  };
  auto o = std::make_shared<Opts>();
  sub.add_option("--run", o->runs, "run directory written by `runnel train --out` (repeat to overlay runs)")->required();
  sub.add_option("--out", o->out, "output FILE.svg (FILE.dat and FILE.gp are written next to it, FILE.png too if gnuplot has pngcairo)");
  sub.add_option("--metric", o->metric,
                 "loss | lr | sec_per_step | samples_per_s | train:<head>:<metric> | eval:loss | eval:<head>:<metric> "
                 "(e.g. eval:sum:mse)")
      ->capture_default_str();
  sub.add_option("--label", o->labels, "legend label per --run, in order (default: the run directory's name)");
  sub.add_option("--title", o->title, "plot title (default: the metric)");
  sub.add_option("--smooth", o->smooth, "trailing moving average over N points")->check(CLI::Range(1, 1000000));
  sub.add_option("--every", o->every, "after smoothing, keep every N-th point (and the last): smaller files for long runs")
      ->check(CLI::Range(1, 1000000));
  sub.add_flag("--logy", o->logy, "logarithmic y axis");
  sub.add_flag("--no-png", o->no_png, "write the SVG only");
  sub.add_flag("--list", o->list, "print the metrics each run has and exit");
  return [o]() -> int {
    if (!o->labels.empty() && o->labels.size() != o->runs.size())
      throw plot::PlotError(fmt::format("{} --label for {} --run (give one per run, or none)", o->labels.size(), o->runs.size()));
    std::vector<plot::Series> series;
    for (std::size_t i = 0; i < o->runs.size(); ++i) {
      const std::string path = resolve_user_path(o->runs[i]);
      const plot::MetricsTable table = plot::read_metrics(path);
      if (o->list) {
        std::printf("%s:", o->runs[i].c_str());
        for (const auto& m : plot::available_metrics(table)) std::printf(" %s", m.c_str());
        std::printf("\n");
        continue;
      }
      plot::Series s = plot::extract_series(table, o->metric, o->smooth);
      plot::thin_series(s, o->every);
      if (!o->labels.empty()) {
        s.label = o->labels[i];
      } else {
        std::filesystem::path p(o->runs[i]);
        if (!p.has_filename()) p = p.parent_path();
        s.label = p.filename().string();
      }
      series.push_back(std::move(s));
    }
    if (o->list) return 0;
    if (o->out.empty()) throw plot::PlotError("--out FILE.svg is required");
    plot::PlotOptions po;
    po.output = resolve_user_path(o->out);
    po.metric = o->metric;
    po.title = o->title;
    po.logy = o->logy;
    po.png = !o->no_png;
    const plot::PlotResult r = plot::plot_runs(series, po);
    std::printf("wrote %s%s%s (script %s, data %s)\n", r.svg.c_str(), r.png.empty() ? "" : " and ", r.png.c_str(),
                r.script.c_str(), r.data.c_str());
    return 0;
  };
}

}  // namespace runnel::cli
