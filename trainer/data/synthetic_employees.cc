#include "trainer/data/synthetic_employees.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <sstream>
#include <vector>

namespace runnel::data {
namespace {

const char* const kTypes[] = {"clock_in", "task", "meeting", "expense", "travel", "clock_out"};
enum Type { kClockIn, kTask, kMeeting, kExpense, kTravel, kClockOut };
const char* const kLocations[] = {"HQ",     "Plant-A", "Plant-B", "Depot",
                                  "Lab",    "Remote",  "Site-N",  "Site-S"};
constexpr int kNumLocations = 8;
constexpr int kNumCostCodes = 16;
const char* const kRoles[] = {"ENG", "OPS", "FIN", "SAL"};
const char* const kBlocks[] = {"early", "mid", "late", "eve"};
constexpr std::int64_t kEpoch = 1767571200;  // Monday 2026-01-05 00:00 UTC

std::string cost_code(int k) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "CC%03d", 100 + k);
  return buf;
}

int block_of(double hour) { return hour < 10 ? 0 : hour < 13 ? 1 : hour < 16 ? 2 : 3; }

struct Employee {
  int home, second, role, cc1, cc2;
  double start_hour;
};

}  // namespace

EventLogOptions employee_log_options() {
  EventLogOptions o;
  o.entity = "actor";
  o.time = "time";
  o.fields = {"event_type", "location", "cost_code", "job_code"};
  return o;
}

std::string synthetic_employees_csv(const EmployeeOptions& options) {
  // The (event_type, location) -> cost code table is part of the world, fixed for every
  // seed; employees and their days come from options.seed.
  std::mt19937_64 world(20260105);
  int table[6][kNumLocations];
  for (auto& row : table)
    for (int& v : row) v = static_cast<int>(world() % kNumCostCodes);

  std::mt19937_64 rng(options.seed * 0x9E3779B97F4A7C15ull + 12345);
  std::uniform_real_distribution<double> U(0.0, 1.0);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };

  std::ostringstream out;
  out << "actor,time,event_type,location,cost_code,job_code,amount\n";
  for (std::size_t a = 0; a < options.employees; ++a) {
    Employee emp;
    emp.home = pick(kNumLocations);
    emp.second = (emp.home + 1 + pick(kNumLocations - 1)) % kNumLocations;
    emp.role = pick(4);
    emp.cc1 = pick(kNumCostCodes);
    emp.cc2 = pick(kNumCostCodes);
    emp.start_hour = 7.0 + 3.0 * U(rng);
    char actor[32];
    std::snprintf(actor, sizeof actor, "emp%03zu", a + 1);

    for (std::size_t day = 0; day < options.days; ++day) {
      std::int64_t day_start = kEpoch + static_cast<std::int64_t>((day / 5) * 7 + day % 5) * 86400;
      double hour = emp.start_hour + 0.3 * (U(rng) - 0.5) * 2;
      double end_hour = hour + 7.5 + 1.5 * U(rng);
      int loc = U(rng) < 0.8 ? emp.home : (U(rng) < 0.7 ? emp.second : pick(kNumLocations));
      int type = kClockIn;
      int prev = -1;
      for (;;) {
        // Fields of this event.
        int cc;
        double r = U(rng);
        if (type == kClockIn || type == kClockOut) cc = -1;
        else if (r < 0.75) cc = table[type][loc];
        else if (r < 0.90) cc = U(rng) < 0.6 ? emp.cc1 : emp.cc2;
        else cc = pick(kNumCostCodes);
        int role = emp.role, block = block_of(hour);
        if (U(rng) < 0.1) { role = pick(4); block = pick(4); }
        double amount = 0;
        if (type == kExpense) amount = std::round(std::exp(3.0 + 0.3 * loc + 0.5 * U(rng)));
        std::int64_t t = day_start + static_cast<std::int64_t>(hour * 3600.0);
        out << actor << ',' << t << ',' << kTypes[type] << ',' << kLocations[loc] << ','
            << (cc < 0 ? std::string("NONE") : cost_code(cc)) << ',' << kRoles[role] << '-'
            << kBlocks[block] << ',' << amount << '\n';
        if (type == kClockOut) break;
        prev = type;
        // Time to the next event: depends on the time of day.
        double mean_min = hour < 12 ? 20 : hour < 13 ? 55 : hour < 17 ? 40 : 15;
        hour += -std::log(1.0 - U(rng)) * mean_min / 60.0 + 2.0 / 60.0;
        if (hour >= end_hour) { type = kClockOut; continue; }
        // Next type: a Markov chain that depends on the previous type and the hour.
        bool meeting_hour = (hour >= 10 && hour < 11) || (hour >= 14 && hour < 15);
        double w[6] = {0, 0.55, meeting_hour ? 0.45 : 0.08, 0.05, 0.05, 0};
        if (prev == kTravel) { w[kExpense] = 0.6; w[kTravel] = 0; }
        if (prev == kMeeting) w[kMeeting] *= 0.3;
        if (emp.role == 3) w[kTravel] *= 3;  // sales travel more
        double total = 0;
        for (double x : w) total += x;
        double u = U(rng) * total;
        type = kTask;
        for (int k = 0; k < 6; ++k) {
          if (u < w[k]) { type = k; break; }
          u -= w[k];
        }
        if (type == kTravel) loc = U(rng) < 0.6 && loc != emp.second ? emp.second : pick(kNumLocations);
      }
    }
  }
  return out.str();
}

std::unique_ptr<EventLogDataset> make_synthetic_employees(const EmployeeOptions& gen,
                                                          const EventLogOptions& log) {
  std::istringstream in(synthetic_employees_csv(gen));
  return std::make_unique<EventLogDataset>(read_event_log(in, "synthetic_employees", log), log);
}

}  // namespace runnel::data
