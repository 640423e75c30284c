#include "tools/plot/plot.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "trainer/io/atomic_file.h"

namespace runnel::plot {
namespace fs = std::filesystem;

namespace {

std::vector<std::string> split_commas(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  for (char c : line) {
    if (c == ',') {
      out.push_back(cell);
      cell.clear();
    } else if (c != '\r') {
      cell += c;
    }
  }
  out.push_back(cell);
  return out;
}

std::optional<double> parse_number(const std::string& s, const std::string& where) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0') throw PlotError(fmt::format("{}: expected a number, got '{}'", where, s));
  return v;
}

// "eval:sum:mse" -> kind eval, column "sum/mse"; "loss" -> train, "loss".
struct MetricRef {
  std::string kind, column;
};

std::optional<MetricRef> parse_metric(const std::string& metric) {
  static const char* kTrainCols[] = {"loss", "lr", "sec_per_step", "samples_per_s"};
  for (const char* c : kTrainCols)
    if (metric == c) return MetricRef{"train", c};
  if (metric == "eval:loss") return MetricRef{"eval", "loss"};
  for (const char* kind : {"train", "eval"}) {
    const std::string prefix = std::string(kind) + ":";
    if (metric.rfind(prefix, 0) != 0) continue;
    const std::string rest = metric.substr(prefix.size());
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size()) return std::nullopt;
    return MetricRef{kind, rest.substr(0, colon) + "/" + rest.substr(colon + 1)};
  }
  return std::nullopt;
}

std::string metric_name(const std::string& kind, const std::string& column) {
  const auto slash = column.find('/');
  if (slash == std::string::npos) return kind == "train" ? column : kind + ":" + column;
  return kind + ":" + column.substr(0, slash) + ":" + column.substr(slash + 1);
}

// A gnuplot double-quoted string.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// The plot's own files through the one atomic writer, failures as PlotError.
void write_plot_file(const std::string& path, const std::string& content) {
  try {
    io::write_file_atomically(path, content);
  } catch (const std::runtime_error& e) {
    throw PlotError(e.what());
  }
}

// Runs argv, returns (exit status, stdout+stderr).
std::pair<int, std::string> run_capture(const std::vector<std::string>& argv) {
  int pipefd[2];
  if (pipe(pipefd) != 0) throw PlotError(std::string("pipe: ") + std::strerror(errno));
  const pid_t pid = fork();
  if (pid < 0) throw PlotError(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    dup2(pipefd[1], 1);
    dup2(pipefd[1], 2);
    close(pipefd[0]);
    close(pipefd[1]);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    std::fprintf(stderr, "cannot run %s: %s\n", args[0], std::strerror(errno));
    _exit(127);
  }
  close(pipefd[1]);
  std::string output;
  char buf[4096];
  ssize_t n;
  while ((n = read(pipefd[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0) output.append(buf, static_cast<std::size_t>(n));
  close(pipefd[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  return {code, output};
}

}  // namespace

MetricsTable parse_metrics_csv(const std::string& text, const std::string& path) {
  MetricsTable t;
  t.path = path;
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line.empty() || line == "\r")
    throw PlotError(path + ": empty file (expected a metrics.csv header)");
  t.columns = split_commas(line);
  if (t.columns.size() < 3 || t.columns[0] != "kind" || t.columns[1] != "step")
    throw PlotError(path + ":1: not a runnel metrics.csv header (expected kind,step,...), got '" + line + "'");
  std::size_t lineno = 1;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty() || line == "\r") continue;
    const auto cells = split_commas(line);
    if (cells.size() != t.columns.size())
      throw PlotError(fmt::format("{}:{}: expected {} cells, got {}", path, lineno, t.columns.size(), cells.size()));
    MetricsRow r;
    r.kind = cells[0];
    if (r.kind != "train" && r.kind != "eval")
      throw PlotError(fmt::format("{}:{}: kind: expected train or eval, got '{}'", path, lineno, r.kind));
    const auto step = parse_number(cells[1], fmt::format("{}:{} (step)", path, lineno));
    if (!step || *step < 0 || *step != std::floor(*step))
      throw PlotError(fmt::format("{}:{} (step): expected a step number, got '{}'", path, lineno, cells[1]));
    r.step = static_cast<long>(*step);
    r.cells.resize(cells.size());
    for (std::size_t c = 2; c < cells.size(); ++c)
      r.cells[c] = parse_number(cells[c], fmt::format("{}:{} ({})", path, lineno, t.columns[c]));
    t.rows.push_back(std::move(r));
  }
  return t;
}

MetricsTable read_metrics(const std::string& run) {
  std::error_code ec;
  if (!fs::exists(run, ec)) throw PlotError(run + ": no such run directory");
  const std::string file = fs::is_directory(run, ec) ? (fs::path(run) / "metrics.csv").string() : run;
  std::ifstream in(file, std::ios::binary);
  if (!in) throw PlotError(file + ": cannot read (is this a `runnel train --out` directory?)");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_metrics_csv(text.str(), file);
}

std::vector<std::string> available_metrics(const MetricsTable& table) {
  std::vector<std::string> out;
  for (const char* kind : {"train", "eval"})
    for (std::size_t c = 2; c < table.columns.size(); ++c) {
      bool any = false;
      for (const auto& r : table.rows) any = any || (r.kind == kind && r.cells[c].has_value());
      if (any) out.push_back(metric_name(kind, table.columns[c]));
    }
  return out;
}

Series extract_series(const MetricsTable& table, const std::string& metric, std::size_t smooth) {
  const auto ref = parse_metric(metric);
  std::size_t col = 0;
  if (ref)
    for (std::size_t c = 2; c < table.columns.size(); ++c)
      if (table.columns[c] == ref->column) col = c;
  Series s;
  if (col != 0)
    for (const auto& r : table.rows)
      if (r.kind == ref->kind && r.cells[col]) s.points.emplace_back(r.step, *r.cells[col]);
  if (s.points.empty()) {
    std::string list;
    for (const auto& m : available_metrics(table)) list += (list.empty() ? "" : ", ") + m;
    throw PlotError(fmt::format("{}: no metric '{}' (available: {})", table.path, metric, list.empty() ? "none" : list));
  }
  if (smooth > 1) {
    std::vector<std::pair<long, double>> sm(s.points.size());
    double sum = 0;
    for (std::size_t i = 0; i < s.points.size(); ++i) {
      sum += s.points[i].second;
      if (i >= smooth) sum -= s.points[i - smooth].second;
      sm[i] = {s.points[i].first, sum / double(std::min(i + 1, smooth))};
    }
    s.points = std::move(sm);
  }
  return s;
}

void thin_series(Series& series, std::size_t every) {
  if (every <= 1 || series.points.empty()) return;
  std::vector<std::pair<long, double>> kept;
  for (std::size_t i = 0; i < series.points.size(); i += every) kept.push_back(series.points[i]);
  if ((series.points.size() - 1) % every != 0) kept.push_back(series.points.back());
  series.points = std::move(kept);
}

std::string gnuplot_data(const std::vector<Series>& series) {
  std::string out;
  for (std::size_t i = 0; i < series.size(); ++i) {
    if (i) out += "\n\n";
    out += "# " + series[i].label + "\n";
    for (const auto& [step, v] : series[i].points) out += fmt::format("{} {:.9g}\n", step, v);
  }
  return out;
}

std::string gnuplot_script(const std::vector<Series>& series, const PlotOptions& o, const std::string& data_file,
                           const std::string& svg_file, const std::string& png_file) {
  const std::string title = o.title.empty() ? o.metric : o.title;
  std::string s;
  s += "# written by `runnel plot`; run with: gnuplot " + fs::path(data_file).replace_extension(".gp").filename().string() + "\n";
  s += fmt::format("set terminal svg size {},{} dynamic noenhanced font 'sans,12' background rgb 'white'\n", o.width, o.height);
  s += "set output " + quoted(svg_file) + "\n";
  s += "set title " + quoted(title) + "\n";
  s += "set xlabel \"step\"\n";
  s += "set ylabel " + quoted(o.metric) + "\n";
  s += "set grid\n";
  s += "set key top right\n";
  if (o.logy) s += "set logscale y\nset format y \"%.0e\"\n";
  s += "plot";
  for (std::size_t i = 0; i < series.size(); ++i)
    s += fmt::format("{} {} index {} using 1:2 with lines lw 1.5 title {}", i ? ", \\\n    " : " ", quoted(data_file), i,
                     quoted(series[i].label));
  s += "\n";
  s += "unset output\n";
  if (!png_file.empty()) {
    s += fmt::format("set terminal pngcairo size {},{} noenhanced font 'sans,10' background rgb 'white'\n", o.width, o.height);
    s += "set output " + quoted(png_file) + "\n";
    s += "replot\nunset output\n";
  }
  return s;
}

std::optional<std::string> find_gnuplot() {
  if (const char* env = std::getenv("RUNNEL_GNUPLOT"); env && *env) {
    if (access(env, X_OK) == 0) return std::string(env);
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::string p = path && *path ? path : "/usr/local/bin:/usr/bin:/bin";
  std::istringstream dirs(p);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    const std::string cand = (fs::path(dir) / "gnuplot").string();
    if (access(cand.c_str(), X_OK) == 0) return cand;
  }
  return std::nullopt;
}

bool gnuplot_has_pngcairo(const std::string& gnuplot) {
  const auto [code, out] = run_capture({gnuplot, "-e", "set terminal"});
  return code == 0 && out.find("pngcairo") != std::string::npos;
}

PlotResult plot_runs(const std::vector<Series>& series, const PlotOptions& o) {
  if (series.empty()) throw PlotError("nothing to plot (give at least one --run)");
  if (o.output.empty()) throw PlotError("no output file (--out FILE.svg)");
  const auto gnuplot = find_gnuplot();
  if (!gnuplot)
    throw PlotError(
        "gnuplot is not installed (not on PATH or $RUNNEL_GNUPLOT): install Debian's gnuplot-nox "
        "(tools/setup.sh does)");
  fs::path out(o.output);
  if (out.has_parent_path()) {
    std::error_code ec;
    fs::create_directories(out.parent_path(), ec);
    if (ec) throw PlotError(fmt::format("cannot create {}: {}", out.parent_path().string(), ec.message()));
  }
  fs::path base = out;
  if (base.extension() == ".svg") base.replace_extension("");
  PlotResult r;
  r.svg = o.output;
  r.data = base.string() + ".dat";
  r.script = base.string() + ".gp";
  const bool png = o.png && gnuplot_has_pngcairo(*gnuplot);
  if (png) r.png = base.string() + ".png";
  // gnuplot writes to temporary names; renamed once it succeeded.
  const std::string svg_tmp = r.svg + ".tmp", png_tmp = png ? r.png + ".tmp" : "";
  write_plot_file(r.data, gnuplot_data(series));
  // The committed script refers to the final names (run it from the output's directory);
  // the one gnuplot runs now writes the temporary files.
  const auto name = [](const std::string& p) { return fs::path(p).filename().string(); };
  write_plot_file(r.script, gnuplot_script(series, o, name(r.data), name(r.svg), png ? name(r.png) : ""));
  const std::string run_script = gnuplot_script(series, o, r.data, svg_tmp, png_tmp);
  const std::string run_script_file = r.script + ".run.tmp";
  write_plot_file(run_script_file, run_script);
  auto [code, output] = run_capture({*gnuplot, run_script_file});
  std::error_code ec;
  fs::remove(run_script_file, ec);
  if (code != 0) {
    fs::remove(svg_tmp, ec);
    if (png) fs::remove(png_tmp, ec);
    throw PlotError(fmt::format("gnuplot failed (exit {}) on {}: {}", code, r.script, output));
  }
  if (!fs::exists(svg_tmp, ec) || fs::file_size(svg_tmp, ec) == 0)
    throw PlotError(fmt::format("gnuplot wrote no SVG for {}: {}", r.script, output));
  fs::rename(svg_tmp, r.svg, ec);
  if (ec) throw PlotError(fmt::format("cannot rename {}: {}", svg_tmp, ec.message()));
  if (png) {
    fs::rename(png_tmp, r.png, ec);
    if (ec) r.png.clear();
  }
  return r;
}

}  // namespace runnel::plot
