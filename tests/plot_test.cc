#define BOOST_TEST_MODULE plot
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tools/plot/plot.h"
#include "trainer/train/metrics.h"

namespace fs = std::filesystem;
using namespace runnel::plot;

namespace {

fs::path temp_dir(const std::string& name) {
  const char* t = std::getenv("TEST_TMPDIR");
  fs::path p = fs::path(t && *t ? t : "/tmp") / ("plot_test_" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A metrics.csv written by the trainer's own writer: a regression head "sum" and a
// categorical head "cls"; 4 train steps, evaluations after steps 2 and 4.
fs::path write_run(const std::string& name) {
  const fs::path dir = temp_dir(name);
  std::vector<runnel::train::HeadInfo> heads = {{"sum", false, 1.0}, {"cls", true, 1.0}};
  {
    runnel::train::MetricsCsv csv((dir / "metrics.csv").string(), heads, std::nullopt);
    for (long step = 1; step <= 4; ++step) {
      std::vector<runnel::train::HeadTotals> t(2);
      t[0].loss_sum = 1.0 / double(step);  // mean loss 1/step over 1 row
      t[0].count = 1;
      t[1].loss_sum = 2.0;
      t[1].count = 2;
      t[1].correct = 1;
      csv.train_row(step, 0.5 / double(step), 0.001 * double(step), 0.01, 3200.0, t);
      if (step % 2 == 0) {
        std::vector<runnel::train::HeadTotals> e(2);
        e[0].loss_sum = 0.25 / double(step) * 4;  // 4 rows: mean 0.25/step
        e[0].count = 4;
        e[1].loss_sum = 4.0;
        e[1].count = 4;
        e[1].correct = 3;
        e[1].correct_top5 = 4;
        csv.eval_row(step, 0.125 / double(step), e);
      }
    }
  }
  return dir;
}

std::string error_of(const std::string& text) {
  try {
    parse_metrics_csv(text, "m.csv");
  } catch (const PlotError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(reads_the_trainers_metrics_csv) {
  const fs::path dir = write_run("read");
  const MetricsTable t = read_metrics(dir.string());
  BOOST_TEST(t.columns.size() == 12u);  // kind step loss lr sec sps sum/loss sum/mse cls/loss acc top5 f1
  BOOST_TEST(t.columns[6] == "sum/loss");
  BOOST_REQUIRE_EQUAL(t.rows.size(), 6u);
  BOOST_TEST(t.rows[0].kind == "train");
  BOOST_TEST(t.rows[2].kind == "eval");
  BOOST_TEST(t.rows[2].step == 2);
  BOOST_TEST(!t.rows[2].cells[3].has_value());  // eval rows have no lr
  BOOST_TEST(*t.rows[1].cells[3] == 0.002);

  const std::vector<std::string> want = {"loss",       "lr",        "sec_per_step",      "samples_per_s",
                                         "train:sum:loss", "train:cls:loss", "train:cls:accuracy", "eval:loss",
                                         "eval:sum:loss",  "eval:sum:mse",   "eval:cls:loss",      "eval:cls:accuracy",
                                         "eval:cls:top5",  "eval:cls:macro_f1"};
  BOOST_TEST(available_metrics(t) == want, boost::test_tools::per_element());

  const Series loss = extract_series(t, "loss");
  BOOST_REQUIRE_EQUAL(loss.points.size(), 4u);
  BOOST_TEST(loss.points[0].first == 1);
  BOOST_TEST(loss.points[3].second == 0.125);
  const Series mse = extract_series(t, "eval:sum:mse");
  BOOST_REQUIRE_EQUAL(mse.points.size(), 2u);
  BOOST_TEST(mse.points[0].first == 2);
  BOOST_TEST(mse.points[0].second == 0.125);
  BOOST_TEST(mse.points[1].second == 0.0625);
  const Series acc = extract_series(t, "eval:cls:accuracy");
  BOOST_TEST(acc.points[1].second == 0.75);
  // A file path works as well as its directory.
  BOOST_TEST(read_metrics((dir / "metrics.csv").string()).rows.size() == 6u);
}

BOOST_AUTO_TEST_CASE(smoothing_is_a_trailing_mean) {
  const MetricsTable t = parse_metrics_csv(
      "kind,step,loss,lr,sec_per_step,samples_per_s\n"
      "train,1,4,,,\ntrain,2,2,,,\ntrain,3,0,,,\ntrain,4,6,,,\n",
      "m.csv");
  const Series s = extract_series(t, "loss", 2);
  BOOST_REQUIRE_EQUAL(s.points.size(), 4u);
  BOOST_TEST(s.points[0].second == 4.0);
  BOOST_TEST(s.points[1].second == 3.0);
  BOOST_TEST(s.points[2].second == 1.0);
  BOOST_TEST(s.points[3].second == 3.0);
}

BOOST_AUTO_TEST_CASE(thinning_keeps_every_nth_and_the_last_point) {
  Series s;
  for (long step = 1; step <= 10; ++step) s.points.emplace_back(step, double(step) / 10);
  thin_series(s, 4);
  BOOST_REQUIRE_EQUAL(s.points.size(), 4u);  // steps 1, 5, 9 and the last, 10
  BOOST_TEST(s.points[0].first == 1);
  BOOST_TEST(s.points[1].first == 5);
  BOOST_TEST(s.points[2].first == 9);
  BOOST_TEST(s.points[3].first == 10);
  BOOST_TEST(s.points[3].second == 1.0);
  Series exact;
  for (long step = 1; step <= 9; ++step) exact.points.emplace_back(step, 0.0);
  thin_series(exact, 4);  // the last point (9) is already kept
  BOOST_TEST(exact.points.size() == 3u);
  thin_series(exact, 1);
  BOOST_TEST(exact.points.size() == 3u);
}

BOOST_AUTO_TEST_CASE(clear_errors) {
  const fs::path dir = write_run("errors");
  try {
    extract_series(read_metrics(dir.string()), "eval:sum:accuracy");
    BOOST_FAIL("unknown metric accepted");
  } catch (const PlotError& e) {
    const std::string m = e.what();
    BOOST_TEST(m.find("no metric 'eval:sum:accuracy'") != std::string::npos, m);
    BOOST_TEST(m.find("available: loss, lr,") != std::string::npos, m);
    BOOST_TEST(m.find("eval:sum:mse") != std::string::npos, m);
  }
  try {
    read_metrics((dir / "nope").string());
    BOOST_FAIL("missing dir accepted");
  } catch (const PlotError& e) {
    BOOST_TEST(std::string(e.what()).find("nope: no such run directory") != std::string::npos, e.what());
  }
  const fs::path empty = temp_dir("empty_run");
  try {
    read_metrics(empty.string());
    BOOST_FAIL("dir without metrics.csv accepted");
  } catch (const PlotError& e) {
    BOOST_TEST(std::string(e.what()).find("metrics.csv: cannot read") != std::string::npos, e.what());
  }
  BOOST_TEST(error_of("") == "m.csv: empty file (expected a metrics.csv header)");
  BOOST_TEST(error_of("a,b,c\n").find("m.csv:1: not a runnel metrics.csv header") == 0u);
  BOOST_TEST(error_of("kind,step,loss\ntrain,1\n") == "m.csv:2: expected 3 cells, got 2");
  BOOST_TEST(error_of("kind,step,loss\ntrain,1,x\n") == "m.csv:2 (loss): expected a number, got 'x'");
  BOOST_TEST(error_of("kind,step,loss\ntest,1,1\n") == "m.csv:2: kind: expected train or eval, got 'test'");

  // gnuplot missing: a clear message, no output.
  setenv("RUNNEL_GNUPLOT", (dir / "no_gnuplot_here").c_str(), 1);
  PlotOptions o;
  o.output = (dir / "x.svg").string();
  Series s{"a", {{1, 1.0}}};
  try {
    plot_runs({s}, o);
    BOOST_FAIL("plotted without gnuplot");
  } catch (const PlotError& e) {
    BOOST_TEST(std::string(e.what()).find("gnuplot is not installed") == 0u, e.what());
  }
  unsetenv("RUNNEL_GNUPLOT");
  BOOST_TEST(!fs::exists(dir / "x.svg"));
}

BOOST_AUTO_TEST_CASE(script_and_data) {
  std::vector<Series> series = {{"L=100", {{1, 0.5}, {2, 0.25}}}, {"say \"hi\"", {{1, 1e-6}}}};
  const std::string data = gnuplot_data(series);
  BOOST_TEST(data == "# L=100\n1 0.5\n2 0.25\n\n\n# say \"hi\"\n1 1e-06\n");
  PlotOptions o;
  o.metric = "eval:sum:mse";
  o.logy = true;
  const std::string s = gnuplot_script(series, o, "c.dat", "c.svg", "c.png");
  BOOST_TEST(s.find("set terminal svg size 800,500") != std::string::npos, s);
  BOOST_TEST(s.find("set output \"c.svg\"") != std::string::npos, s);
  BOOST_TEST(s.find("set logscale y") != std::string::npos, s);
  BOOST_TEST(s.find("set title \"eval:sum:mse\"") != std::string::npos, s);
  BOOST_TEST(s.find("\"c.dat\" index 0 using 1:2 with lines lw 1.5 title \"L=100\"") != std::string::npos, s);
  BOOST_TEST(s.find("\"c.dat\" index 1 using 1:2 with lines lw 1.5 title \"say \\\"hi\\\"\"") != std::string::npos, s);
  BOOST_TEST(s.find("set terminal pngcairo") != std::string::npos, s);
  BOOST_TEST(s.find("set output \"c.png\"") != std::string::npos, s);
  o.logy = false;
  const std::string plain = gnuplot_script(series, o, "c.dat", "c.svg", "");
  BOOST_TEST(plain.find("logscale") == std::string::npos, plain);
  BOOST_TEST(plain.find("pngcairo") == std::string::npos, plain);
}

BOOST_AUTO_TEST_CASE(renders_with_gnuplot_when_present) {
  const auto gnuplot = find_gnuplot();
  if (!gnuplot) {
    BOOST_TEST_MESSAGE("gnuplot not installed: rendering not checked");
    return;
  }
  const fs::path a = write_run("render_a"), b = write_run("render_b");
  Series sa = extract_series(read_metrics(a.string()), "loss");
  sa.label = "run_a";
  Series sb = extract_series(read_metrics(b.string()), "loss");
  sb.label = "run_b";
  PlotOptions o;
  o.output = (a / "figs" / "loss.svg").string();
  o.logy = true;
  const PlotResult r = plot_runs({sa, sb}, o);
  BOOST_TEST(r.svg == o.output);
  BOOST_TEST(r.script == (a / "figs" / "loss.gp").string());
  BOOST_TEST(r.data == (a / "figs" / "loss.dat").string());
  const std::string svg = slurp(r.svg);
  BOOST_TEST(!svg.empty());
  BOOST_TEST(svg.find("<svg") != std::string::npos);
  BOOST_TEST(svg.find("run_a") != std::string::npos);  // the legend
  BOOST_TEST(svg.find("run_b") != std::string::npos);
  BOOST_TEST(slurp(r.data).find("# run_b\n1 0.5\n2 0.25\n") != std::string::npos);
  BOOST_TEST(slurp(r.script).find("set output \"loss.svg\"") != std::string::npos);
  BOOST_TEST(!fs::exists(r.svg + ".tmp"));
  if (gnuplot_has_pngcairo(*gnuplot)) {
    BOOST_REQUIRE(!r.png.empty());
    const std::string png = slurp(r.png);
    BOOST_TEST(png.size() > 8u);
    BOOST_TEST(png.substr(1, 3) == "PNG");
  }
}
