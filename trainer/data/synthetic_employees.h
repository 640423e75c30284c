// Synthetic employee event log for the multistream model and `runnel demo`.
//
// Columns: actor (the entity: "emp001", ...), time (unix seconds), event_type,
// location, cost_code, job_code, amount (numeric; > 0 only on expense events). The
// structure a model can learn (see models/DATA_CONFIG.md for the details):
//   - working days: clock_in first, clock_out last, a Markov chain of event types in
//     between that depends on the hour (meetings cluster at 10-11 and 14-15, expense
//     follows travel);
//   - per-employee habits: a home location, a second location, two personal cost codes,
//     a role and a usual start hour;
//   - location is sticky within a day and changes only on travel;
//   - cost_code depends on (event_type, location) through a fixed table (75 %), else the
//     employee's personal codes (15 %) or noise (10 %);
//   - job_code = role x block of the day (early/mid/late/evening) (90 %);
//   - dt depends on the time of day (short gaps in the morning, a lunch gap, longer in
//     the afternoon).
// The log is produced as CSV text and read with the same code as a CSV file
// (read_event_log), so vocabularies, the split and batches follow one path.
#ifndef RUNNEL_TRAINER_DATA_SYNTHETIC_EMPLOYEES_H_
#define RUNNEL_TRAINER_DATA_SYNTHETIC_EMPLOYEES_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "trainer/data/event_log.h"

namespace runnel::data {

struct EmployeeOptions {
  std::size_t employees = 40;
  std::size_t days = 30;           // working days per employee (Mon-Fri)
  std::uint64_t seed = 1;
};

// The whole log as CSV text (header + one row per event, by actor then time).
std::string synthetic_employees_csv(const EmployeeOptions& options);

// Default EventLogOptions for that log: entity "actor", time "time", fields
// event_type, location, cost_code, job_code; no numeric columns.
EventLogOptions employee_log_options();

// Generates the log and wraps it in an EventLogDataset.
std::unique_ptr<EventLogDataset> make_synthetic_employees(const EmployeeOptions& gen,
                                                          const EventLogOptions& log);

}  // namespace runnel::data

#endif  // RUNNEL_TRAINER_DATA_SYNTHETIC_EMPLOYEES_H_
