// libFuzzer target for the C API call sequence (build and run: tools/fuzz/run_fuzz.sh c_api).
//
// Each input is a program: a byte picks a call (load, session init, step, copy, reset,
// set_static, output, model queries) and the next bytes its arguments, valid or not —
// two model objects and three session objects reused across calls, the two sample
// models of testdata/models (single_stream and the bigger two_stream), NULL, misaligned
// and short blocks, out-of-range ids, non-finite values, re-loads under live sessions.
// A shadow of what every object should hold predicts each status (a check fails with
// abort(), which libFuzzer reports like a crash); a rejected step must leave the session's
// bytes unchanged. Every block handed to the engine is allocated at exactly the size
// passed, so AddressSanitizer sees any access past what the caller gave.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <vector>

#include "engine/c_api/runnel.h"
#include "engine/model.h"
#include "tools/testdata/sample_models.h"
#include "tools/util/aligned_bytes.h"

namespace {

using runnel::AlignedBytes;

constexpr int kModels = 2, kSessions = 3, kMaxOps = 256;

#define FUZZ_CHECK(cond)                                                            \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "fuzz_c_api: check failed at line %d: %s\n", __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (0)

// The two model files (kept for the process: loaded models read them in place) and a C++
// reference Model of each, for the sizes a status depends on.
struct Files {
  std::unique_ptr<AlignedBytes> bytes[kModels];
  runnel::Model reference[kModels];
  Files() {
    const std::vector<uint8_t> b[kModels] = {runnel::testdata::single_stream_model().bytes(),
                                             runnel::testdata::two_stream_model().bytes()};
    for (int f = 0; f < kModels; ++f) {
      bytes[f] = std::make_unique<AlignedBytes>(b[f]);
      FUZZ_CHECK(reference[f].load(bytes[f]->data(), bytes[f]->size()) == runnel::Status::kOk);
    }
  }
};
// A zeroed block of exactly `size` bytes, `offset` bytes past a 64-byte boundary.
std::unique_ptr<AlignedBytes> zeros(size_t size, size_t offset = 0) {
  return std::make_unique<AlignedBytes>(std::vector<uint8_t>(size), offset);
}

Files& files() {
  static Files* f = new Files;   // never destroyed: loaded models point into it
  return *f;
}

class Input {
 public:
  Input(const uint8_t* data, size_t size) : p_(data), end_(data + size) {}
  bool done() const { return p_ == end_; }
  uint8_t byte() { return p_ == end_ ? 0 : *p_++; }
  const uint8_t* rest(size_t* n) {
    *n = std::min<size_t>(*n, static_cast<size_t>(end_ - p_));
    const uint8_t* r = p_;
    p_ += *n;
    return r;
  }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
};

struct ModelSlot {
  std::unique_ptr<AlignedBytes> object;   // the caller's block (the C API constructs into it)
  int file = -1;                          // file loaded now (-1: none, or the last load failed)
  bool constructed = false;               // a load got as far as constructing the object
  runnel_model* handle() const { return file >= 0 ? reinterpret_cast<runnel_model*>(object->data()) : nullptr; }
};

struct SessionSlot {
  std::unique_ptr<AlignedBytes> object, memory, scratch;
  bool constructed = false;   // an init got as far as constructing the object
  bool bound = false;         // the last such init succeeded
  int model = 0, file = 0;    // bound to this model slot holding this file
  int64_t events = 0;
  runnel_session* handle() const {
    return constructed ? reinterpret_cast<runnel_session*>(object->data()) : nullptr;
  }
};

class Program {
 public:
  explicit Program(Input in) : in_(in) {
    for (ModelSlot& m : models_) m.object = zeros(runnel_model_object_bytes());
    for (SessionSlot& s : sessions_)
      s.object = zeros(runnel_session_object_bytes());
  }

  void run() {
    for (int op = 0; op < kMaxOps && !in_.done(); ++op) switch (in_.byte() % 8) {
        case 0: load(); break;
        case 1: init(); break;
        case 2: step(); break;
        case 3: copy(); break;
        case 4: reset(); break;
        case 5: set_static(); break;
        case 6: output(); break;
        default: query(); break;
      }
  }

 private:
  // What a call on session slot s returns before looking at its arguments.
  runnel_status state(const SessionSlot& s) const {
    if (!s.bound) return RUNNEL_kBadArgument;
    return models_[s.model].file == s.file ? RUNNEL_kOk : RUNNEL_kModelMismatch;
  }
  const runnel::Model& ref(int file) const { return files().reference[file]; }
  SessionSlot& session() { return sessions_[in_.byte() % kSessions]; }

  void load() {
    ModelSlot& m = models_[in_.byte() % kModels];
    const int file = in_.byte() % kModels;
    const uint8_t variant = in_.byte(), arg = in_.byte();
    const AlignedBytes& good = *files().bytes[file];
    void* object = m.object->data();
    size_t object_bytes = m.object->size(), file_bytes = good.size();
    const void* data = good.data();
    std::unique_ptr<AlignedBytes> shifted;
    runnel_model* out = nullptr;
    runnel_model** out_arg = &out;
    runnel_status want = RUNNEL_kOk;   // kOk here: "any failure" for the cases marked so
    bool must_fail = false, constructs = true;
    switch (variant % 10) {
      case 0: file_bytes = (arg * 53u) % good.size(); must_fail = true; break;    // truncated
      case 1: object = nullptr; want = RUNNEL_kBadArgument; constructs = false; break;
      case 2: object = m.object->data() + 1 + arg % 7; want = RUNNEL_kBufferMisaligned; constructs = false; break;
      case 3: object_bytes -= 1 + arg % object_bytes; want = RUNNEL_kBufferTooSmall; constructs = false; break;
      case 4: out_arg = nullptr; want = RUNNEL_kBadArgument; constructs = false; break;
      case 5:   // the file off its 64-byte alignment
        shifted = std::make_unique<AlignedBytes>(good.data(), good.size(), 1 + arg % 63);
        data = shifted->data();
        must_fail = true;
        break;
      default: break;
    }
    const runnel_status got = runnel_model_load(object, object_bytes, data, file_bytes, out_arg);
    if (!constructs) {
      FUZZ_CHECK(got == want);
      return;
    }
    m.constructed = true;
    if (must_fail) FUZZ_CHECK(got != RUNNEL_kOk);
    else FUZZ_CHECK(got == RUNNEL_kOk);
    FUZZ_CHECK((got == RUNNEL_kOk) == (out != nullptr));
    m.file = got == RUNNEL_kOk ? file : -1;
    shifted.reset();   // a failed load keeps no pointer into it
  }

  void init() {
    SessionSlot& s = session();
    const int mi = in_.byte() % kModels;
    const ModelSlot& m = models_[mi];
    const uint8_t variant = in_.byte(), arg = in_.byte();
    // A model pointer as a caller would hold it: from the last successful load, the same
    // address after a failed re-load (stale), or NULL before any load.
    const runnel_model* model = m.constructed ? reinterpret_cast<runnel_model*>(m.object->data()) : nullptr;
    const int file = m.file;
    const size_t need = file >= 0 ? runnel_model_session_bytes(model) : 64;
    const size_t need_scratch = file >= 0 ? runnel_model_scratch_bytes(model) : 64;
    size_t mem_bytes = need, scratch_bytes = need_scratch, mem_offset = 0;
    void* object = s.object->data();
    size_t object_bytes = s.object->size();
    runnel_session* out = nullptr;
    runnel_session** out_arg = &out;
    bool null_memory = false, null_scratch = false, constructs = model != nullptr;
    runnel_status want = RUNNEL_kOk;
    switch (variant % 12) {
      case 0: mem_bytes = need > 0 ? need - 1 - arg % need : 0; break;
      case 1: scratch_bytes = need_scratch > 0 ? need_scratch - 1 - arg % need_scratch : 0; break;
      case 2: mem_offset = 1 + arg % 63; break;
      case 3: null_memory = true; break;
      case 4: null_scratch = true; break;
      case 5: object = nullptr; want = RUNNEL_kBadArgument; constructs = false; break;
      case 6: object = s.object->data() + 1 + arg % 7; want = RUNNEL_kBufferMisaligned; constructs = false; break;
      case 7: object_bytes -= 1 + arg % object_bytes; want = RUNNEL_kBufferTooSmall; constructs = false; break;
      case 8: out_arg = nullptr; want = RUNNEL_kBadArgument; constructs = false; break;
      case 9: model = nullptr; constructs = false; break;
      default: break;
    }
    if (model == nullptr) want = RUNNEL_kBadArgument;
    if (constructs) {
      if (file < 0 || null_memory || null_scratch) want = RUNNEL_kBadArgument;
      else if (mem_offset != 0) want = RUNNEL_kBufferMisaligned;
      else if (mem_bytes < need || scratch_bytes < need_scratch) want = RUNNEL_kBufferTooSmall;
    }
    auto memory = zeros(mem_bytes, mem_offset);
    auto scratch = zeros(scratch_bytes);
    const runnel_status got =
        runnel_session_init(object, object_bytes, model, null_memory ? nullptr : memory->data(), mem_bytes,
                            null_scratch ? nullptr : scratch->data(), scratch_bytes, out_arg);
    FUZZ_CHECK(got == want);
    FUZZ_CHECK((got == RUNNEL_kOk) == (out != nullptr));
    if (!constructs) return;   // the object still holds what it held
    s.constructed = true;
    s.bound = got == RUNNEL_kOk;
    s.model = mi;
    s.file = file;
    s.events = 0;
    // The old blocks go only now: a session the failed call left alone still uses them.
    s.memory = std::move(memory);
    s.scratch = std::move(scratch);
    if (s.bound) FUZZ_CHECK(runnel_session_events_seen(out) == 0);
  }

  void step() {
    SessionSlot& s = session();
    const int file = s.bound ? s.file : in_.byte() % kModels;
    const runnel::Model& m = ref(file);
    const runnel::rnl::ModelFile& mf = m.file();
    const uint8_t shape = in_.byte();
    runnel_status want = state(s);
    // Ids: one byte each; values past 200 fall outside the vocabulary.
    const int n_vocabs = static_cast<int>(mf.n_vocabs()), n_numeric = static_cast<int>(mf.n_numeric());
    std::vector<int32_t> ids(static_cast<size_t>(n_vocabs) + 1, 0);
    std::vector<float> numeric(static_cast<size_t>(n_numeric) + 1, 0.f);
    runnel_status check = RUNNEL_kOk;
    for (int f = 0; f < n_vocabs; ++f) {
      const uint8_t b = in_.byte();
      const uint32_t size = mf.vocab(static_cast<uint32_t>(f)).size();
      ids[f] = b < 200 ? static_cast<int32_t>(b % size) : (b % 2 ? -1 - (b - 200) : static_cast<int32_t>(size) + (b - 200));
      if (b >= 200 && check == RUNNEL_kOk) check = RUNNEL_kIdOutOfRange;
    }
    runnel_status numeric_check = RUNNEL_kOk;
    for (int k = 0; k < n_numeric; ++k) {
      numeric[k] = value(in_.byte());
      if (!std::isfinite(numeric[k])) numeric_check = RUNNEL_kNonFinite;
    }
    if (check == RUNNEL_kOk) check = numeric_check;
    const double dts[] = {0, 1, 0.25, 3600, 1e9, -1, NAN, INFINITY};
    const double dt = dts[in_.byte() % 8];
    if (check == RUNNEL_kOk && !std::isfinite(dt)) check = RUNNEL_kNonFinite;
    if (check == RUNNEL_kOk && dt < 0) check = RUNNEL_kNegativeDt;
    runnel_event e{ids.data(), n_vocabs, numeric.data(), n_numeric, dt};
    const runnel_event* event = &e;
    switch (shape % 8) {   // counts and pointers are checked before any value
      case 0: if (n_vocabs > 0) { e.n_ids = n_vocabs - 1; check = RUNNEL_kBadArgument; } break;
      case 1: e.n_ids = n_vocabs + 1; break;   // extra ids are ignored
      case 2: if (n_vocabs > 0) { e.ids = nullptr; check = RUNNEL_kBadArgument; } break;
      case 3: if (n_numeric > 0) { e.n_numeric = n_numeric - 1; check = RUNNEL_kBadArgument; } break;
      case 4: event = nullptr; break;
      default: break;
    }
    if (check == RUNNEL_kOk && m.max_events() >= 0 && s.events >= m.max_events()) check = RUNNEL_kPositionOutOfRange;
    runnel_session* h = s.handle();
    if (want == RUNNEL_kOk) want = check;
    if (h == nullptr || event == nullptr) want = RUNNEL_kBadArgument;
    const std::vector<uint8_t> before = snapshot(s);
    const runnel_status got = runnel_session_step(h, event);
    const bool consumed = got == RUNNEL_kOk || got == RUNNEL_kNonFiniteOutput;
    FUZZ_CHECK(want == RUNNEL_kOk ? consumed : got == want);
    if (consumed) {
      FUZZ_CHECK(state(s) == RUNNEL_kOk);
      ++s.events;
      if (got == RUNNEL_kOk) check_outputs(s);
    } else {
      FUZZ_CHECK(snapshot(s) == before);   // a rejected call changes nothing
    }
    if (h != nullptr) FUZZ_CHECK(runnel_session_events_seen(h) == (state(s) == RUNNEL_kOk ? s.events : 0));
  }

  void copy() {
    SessionSlot& dst = session();
    SessionSlot& src = session();
    const uint8_t variant = in_.byte();
    runnel_session* d = variant % 8 == 0 ? nullptr : dst.handle();
    const runnel_session* sr = variant % 8 == 1 ? nullptr : src.handle();
    runnel_status want = state(dst);
    if (want == RUNNEL_kOk) want = state(src);
    if (want == RUNNEL_kOk && dst.file != src.file) want = RUNNEL_kModelMismatch;
    if (d == nullptr || sr == nullptr) want = RUNNEL_kBadArgument;
    const std::vector<uint8_t> before = snapshot(dst);
    const runnel_status got = runnel_session_copy(d, sr);
    FUZZ_CHECK(got == want);
    if (got != RUNNEL_kOk) {
      FUZZ_CHECK(snapshot(dst) == before);
      return;
    }
    dst.events = src.events;
    FUZZ_CHECK(snapshot(dst) == snapshot(src));
    FUZZ_CHECK(runnel_session_events_seen(d) == src.events);
  }

  void reset() {
    SessionSlot& s = session();
    runnel_session* h = in_.byte() % 8 == 0 ? nullptr : s.handle();
    runnel_session_reset(h);
    if (h != nullptr && state(s) == RUNNEL_kOk) s.events = 0;
    if (h != nullptr) FUZZ_CHECK(runnel_session_events_seen(h) == (state(s) == RUNNEL_kOk ? s.events : 0));
  }

  void set_static() {
    SessionSlot& s = session();
    const uint8_t variant = in_.byte();
    const uint32_t n_static = ref(s.bound ? s.file : 0).file().n_static();
    uint32_t n = n_static;
    if (variant % 8 == 0) n = n_static + 1;
    if (variant % 8 == 1 && n_static > 0) n = n_static - 1;
    std::vector<float> values(n + 1, 0.f);
    bool finite = true;
    for (uint32_t i = 0; i < n; ++i) {
      values[i] = value(in_.byte());
      finite = finite && std::isfinite(values[i]);
    }
    const float* v = variant % 8 == 2 ? nullptr : values.data();
    runnel_status want = state(s);
    if (want == RUNNEL_kOk) {
      if (n != n_static || (n > 0 && v == nullptr)) want = RUNNEL_kBadArgument;
      else if (!finite) want = RUNNEL_kNonFinite;
    }
    runnel_session* h = s.handle();
    if (h == nullptr) want = RUNNEL_kBadArgument;
    FUZZ_CHECK(runnel_session_set_static(h, v, n) == want);
    if (h != nullptr) FUZZ_CHECK(runnel_session_events_seen(h) == (state(s) == RUNNEL_kOk ? s.events : 0));
  }

  void output() {
    SessionSlot& s = session();
    const uint32_t k = in_.byte() % 8;
    const bool valid = state(s) == RUNNEL_kOk && k < ref(s.file).n_outputs();
    FUZZ_CHECK((runnel_session_output(s.handle(), k) != nullptr) == valid);
  }

  // Model accessors: every id's string looks up to that id again; nothing out of range
  // crashes.
  void query() {
    const ModelSlot& m = models_[in_.byte() % kModels];
    const runnel_model* h = m.handle();
    const uint32_t field = in_.byte() % 8, id = in_.byte(), k = in_.byte() % 8;
    size_t text_bytes = in_.byte() % 32;
    const uint8_t* text = in_.rest(&text_bytes);
    size_t length = 99;
    const char* value = runnel_model_field_value(h, field, id, &length);
    FUZZ_CHECK(value != nullptr);
    const bool in_range = h != nullptr && field < runnel_model_n_fields(h) &&
                          id < ref(m.file).file().vocab(field).size() && id != 0;
    if (in_range) FUZZ_CHECK(runnel_model_lookup(h, field, value, length) == static_cast<int32_t>(id));
    else FUZZ_CHECK(length == 0);
    const int32_t found = runnel_model_lookup(h, field, reinterpret_cast<const char*>(text), text_bytes);
    FUZZ_CHECK(found >= 0 && (h == nullptr || field >= runnel_model_n_fields(h) ||
                              static_cast<uint32_t>(found) < ref(m.file).file().vocab(field).size()));
    FUZZ_CHECK((runnel_model_field_name(h, field) != nullptr) == (h != nullptr && field < runnel_model_n_fields(h)));
    const char* name = runnel_model_output_name(h, k);
    if (name != nullptr) FUZZ_CHECK(runnel_model_find_output(h, name) >= 0);
    FUZZ_CHECK(runnel_model_output_width(h, k) == (h != nullptr && k < runnel_model_n_outputs(h)
                                                       ? ref(m.file).output(k).width : 0));
    runnel_model_output_field(h, k);
    runnel_model_output_kind(h, k);
    runnel_model_numeric_column_name(h, k);
    const uint32_t n_raw = runnel_model_n_numeric_columns(h), n_out = runnel_model_n_numeric(h);
    std::vector<float> raw(n_raw + 1, 1.f), out(n_out + 1, 0.f);
    const uint32_t give_raw = n_raw + (id % 3 == 0), give_out = n_out - (id % 3 == 1 && n_out > 0);
    runnel_model_prepare_numeric(h, raw.data(), give_raw, out.data(), give_out);
  }

  static float value(uint8_t b) {
    const float table[] = {0.f, 1.f, -1.f, 0.5f, 1e30f, -1e30f, NAN, INFINITY};
    return b < 248 ? static_cast<float>(b) / 16.f - 4.f : table[b - 248];
  }

  // The session's bytes (empty when it has no memory).
  std::vector<uint8_t> snapshot(const SessionSlot& s) const {
    if (!s.bound || state(s) != RUNNEL_kOk) return {};
    const size_t n = ref(s.file).session_bytes();
    return std::vector<uint8_t>(s.memory->data(), s.memory->data() + n);
  }

  void check_outputs(const SessionSlot& s) const {
    const runnel::Model& m = ref(s.file);
    for (uint32_t k = 0; k < m.n_outputs(); ++k) {
      const float* x = runnel_session_output(s.handle(), k);
      FUZZ_CHECK(x != nullptr);
      for (uint32_t i = 0; i < m.output(k).width; ++i) FUZZ_CHECK(std::isfinite(x[i]));
    }
  }

  Input in_;
  ModelSlot models_[kModels];
  SessionSlot sessions_[kSessions];
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  files();
  Program(Input(data, size)).run();
  return 0;
}
