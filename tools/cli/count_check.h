// A CLI11 check for count options (--topk, ...): an integer in [lo, hi], refused with a
// message that says what the count is for, e.g.
//   --topk: expected an integer >= 1 (predictions per field), got '0'
// instead of CLI11's generic floating-point range text ("Value 0 not in range 0 to 1.8e308").
#ifndef RUNNEL_TOOLS_CLI_COUNT_CHECK_H_
#define RUNNEL_TOOLS_CLI_COUNT_CHECK_H_

#include <CLI/CLI.hpp>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <string>

namespace runnel::cli {

inline CLI::Validator count_check(long lo, long hi, const std::string& meaning) {
  const std::string range = hi >= INT_MAX ? "an integer >= " + std::to_string(lo)
                                           : "an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
  return CLI::Validator(
      [lo, hi, range, meaning](std::string& text) -> std::string {
        char* end = nullptr;
        errno = 0;
        const long v = std::strtol(text.c_str(), &end, 10);
        if (text.empty() || *end != '\0' || errno == ERANGE || v < lo || v > hi)
          return "expected " + range + " (" + meaning + "), got '" + text + "'";
        return "";
      },
      range);
}

}  // namespace runnel::cli

#endif  // RUNNEL_TOOLS_CLI_COUNT_CHECK_H_
