// Lets Boost.Test print engine enums by name in failed assertions (found by ADL).
#ifndef RUNNEL_TESTS_PRINTING_H_
#define RUNNEL_TESTS_PRINTING_H_

#include <cstdint>
#include <ostream>

#include "engine/format/rnl_reader.h"
#include "engine/status.h"

namespace runnel {

inline std::ostream& operator<<(std::ostream& out, Status s) { return out << status_name(s); }

namespace rnl {
inline std::ostream& operator<<(std::ostream& out, Op op) {
  return out << op_name(static_cast<uint32_t>(op));
}
inline std::ostream& operator<<(std::ostream& out, ColumnRole r) { return out << "role " << static_cast<int>(r); }
inline std::ostream& operator<<(std::ostream& out, Transform t) { return out << "transform " << static_cast<int>(t); }
inline std::ostream& operator<<(std::ostream& out, VocabKind k) { return out << "vocab kind " << static_cast<int>(k); }
}  // namespace rnl

}  // namespace runnel

#endif  // RUNNEL_TESTS_PRINTING_H_
