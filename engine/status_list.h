/* The engine's status codes as one X-macro list (name, message), plain preprocessor so
 * that both the C++ engine (engine/status.h) and the C API (engine/c_api/runnel.h) build
 * their enums from it: codes have the same values in both languages. */
#ifndef RUNNEL_ENGINE_STATUS_LIST_H_
#define RUNNEL_ENGINE_STATUS_LIST_H_

#define RUNNEL_STATUS_LIST(X)                                                          \
  X(kOk, "ok")                                                                        \
  X(kTruncated, "file shorter than its header or sections say")                      \
  X(kBadMagic, "not an .rnl file (bad magic)")                                       \
  X(kBadVersion, "unsupported .rnl format version")                                  \
  X(kBadEndianness, "file written with another byte order")                         \
  X(kBadHeader, "inconsistent header fields")                                        \
  X(kCrcMismatch, "payload CRC-32 does not match the header")                        \
  X(kOffsetOutOfBounds, "an offset or size points outside the file")                 \
  X(kMisalignedTensor, "tensor data not 64-byte aligned")                            \
  X(kShapeOverflow, "tensor shape product overflows or exceeds limits")              \
  X(kShapeMismatch, "tensor shape inconsistent with the op's hyper-parameters")      \
  X(kUnknownOp, "unknown op code")                                                   \
  X(kUnknownDType, "unknown tensor dtype")                                           \
  X(kBadGraph, "graph input refers to a missing or later record")                    \
  X(kBadHyperParameter, "hyper-parameter out of its valid range")                    \
  X(kVocabOutOfBounds, "vocabulary entry outside the file or malformed")             \
  X(kLimitExceeded, "a count or size exceeds the engine's limits")                   \
  X(kBufferMisaligned, "caller's buffer start is not 64-byte aligned")              \
  X(kBufferTooSmall, "caller's buffer is smaller than required")                    \
  X(kIdOutOfRange, "categorical id outside the field's vocabulary")                  \
  X(kNonFinite, "input value is NaN or infinite")                                    \
  X(kPositionOutOfRange, "stream longer than the learned positions' max_len")        \
  X(kBadArgument, "invalid argument")                                                \
  X(kModelMismatch, "sessions belong to different models")                          \
  X(kBadName, "a name is empty, not NUL-terminated or not NUL-padded")               \
  X(kBadTensorEntry, "tensor table entry inconsistent (rank, byte size, reserved)")    \
  X(kBadSchema, "input columns or head names inconsistent with the graph")             \
  X(kNonFiniteWeight, "a weight tensor holds NaN or infinity")                       \
  X(kNonFiniteOutput, "the step produced a NaN or infinite output (overflow)")       \
  X(kNegativeDt, "dt (time since the entity's previous event) is negative")           \
  X(kOpNotCompiled, "the model uses an op this engine build left out (RUNNEL_OP_MASK)")

#endif  /* RUNNEL_ENGINE_STATUS_LIST_H_ */
