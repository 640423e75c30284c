/* The example's streaming on the host (the reference the firmware's outputs are compared
 * with, tests/device/cortex_m4_example_test.sh): reads the model file instead of an
 * embedded array, then runs exactly what the firmware runs (stream_model.c).
 *
 *   stream_host model.rnl [events] [quiet]
 *
 * "quiet" streams without printing (tools/footprint/count_instructions.sh counts the
 * instructions of the streaming alone). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream_model.h"

enum { kArenaBytes = 4 << 20 };

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: stream_host model.rnl [events] [quiet]\n");
    return 2;
  }
  FILE* f = fopen(argv[1], "rb");
  if (!f) {
    perror(argv[1]);
    return 1;
  }
  unsigned char* file = aligned_alloc(64, 16 << 20);
  unsigned char* arena = aligned_alloc(64, kArenaBytes);
  const size_t size = fread(file, 1, 16 << 20, f);
  fclose(f);
  stream_memory used;
  const int print = !(argc > 3 && strcmp(argv[3], "quiet") == 0);
  const int status = stream_model(file, size, arena, kArenaBytes, argc > 2 ? atoi(argv[2]) : 50, print, NULL, NULL, &used);
  free(arena);
  free(file);
  return status;
}
