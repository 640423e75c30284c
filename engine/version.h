// runnel's version: what `runnel --version` prints and summary.json records as
// "runnel_version". The one place it is written; bump it with a release.
#ifndef RUNNEL_ENGINE_VERSION_H_
#define RUNNEL_ENGINE_VERSION_H_

namespace runnel {

inline constexpr char kVersion[] = "0.1.0";

}  // namespace runnel

#endif  // RUNNEL_ENGINE_VERSION_H_
