// Status codes: the engine's only error channel (no exceptions, nothing printed).
#ifndef RUNNEL_ENGINE_STATUS_H_
#define RUNNEL_ENGINE_STATUS_H_

#include "engine/status_list.h"

namespace runnel {

enum class Status : int {
#define RUNNEL_STATUS_ENUM(name, text) name,
  RUNNEL_STATUS_LIST(RUNNEL_STATUS_ENUM)
#undef RUNNEL_STATUS_ENUM
};

// "kTruncated" etc.: stable identifiers for logs and tests.
inline const char* status_name(Status s) {
  switch (s) {
#define RUNNEL_STATUS_NAME(name, text) case Status::name: return #name;
    RUNNEL_STATUS_LIST(RUNNEL_STATUS_NAME)
#undef RUNNEL_STATUS_NAME
  }
  return "kUnknownStatus";
}

// A human sentence for CLI messages.
inline const char* status_message(Status s) {
  switch (s) {
#define RUNNEL_STATUS_TEXT(name, text) case Status::name: return text;
    RUNNEL_STATUS_LIST(RUNNEL_STATUS_TEXT)
#undef RUNNEL_STATUS_TEXT
  }
  return "unknown status";
}

}  // namespace runnel

#endif  // RUNNEL_ENGINE_STATUS_H_
