#!/usr/bin/env bash
# The op list (RUNNEL_OP_LIST in engine/format/rnl_spec.h) is tied to every table keyed by
# op: forgetting any one place must fail to compile. This test copies the real sources,
# makes each mistake a contributor could make when adding an op, compiles, and expects the
# compiler to refuse with the intended message; the unmodified copy must compile.
# Also checks that FORMAT.md, INTERNALS.md and the layer tests name every op of the list,
# and that engine/layers/ holds nothing but layers.
# (The parity case and the testdata fixture of every op are checked at run time, by
# parity_layers_test and format_corpus_test.)
set -uo pipefail

src="$TEST_SRCDIR/$TEST_WORKSPACE"
work="$TEST_TMPDIR/op_list"
# The flags of the engine (engine/BUILD) and of the trainer (third_party/system.BUILD).
engine_cxx=(g++ -std=c++17 -fsyntax-only -mavx2 -mfma -fno-exceptions -fno-rtti -Werror=switch)
trainer_cxx=(g++ -std=c++17 -fsyntax-only -mavx2 -mfma -DXTENSOR_USE_XSIMD -DXTENSOR_USE_FLENS_BLAS=0)
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

fresh_copy() {
  rm -rf "$work" && mkdir -p "$work"
  (cd "$src" && cp --parents -rL engine trainer "$work/")
  chmod -R u+w "$work"
}

# compile NAME FILE: 0 when FILE compiles; the compiler's output goes to $work/NAME.log
compile() {
  local cxx=("${engine_cxx[@]}")
  case "$2" in */modules_check.cc) cxx=("${trainer_cxx[@]}") ;; esac
  "${cxx[@]}" -I "$work" "$2" >"$work/$1.log" 2>&1
}

# The trainer's module check (trainer/nn/modules.h) in a translation unit of its own.
modules_tu() { printf '#include "trainer/nn/modules.h"\n' >"$work/modules_check.cc"; echo "$work/modules_check.cc"; }

expect_ok() {  # NAME FILE
  compile "$1" "$2" || { fail "$1: the unmodified sources do not compile"; sed -n 1,20p "$work/$1.log"; }
}

expect_error() {  # NAME FILE PATTERN: must not compile, and the error must match PATTERN
  if compile "$1" "$2"; then
    fail "$1: compiled although it should not"
  elif ! grep -q -- "$3" "$work/$1.log"; then
    fail "$1: failed to compile, but not with /$3/:"; sed -n 1,20p "$work/$1.log"
  else
    echo "ok: $1 does not compile ($(grep -m1 -o -- "$3" "$work/$1.log"))"
  fi
}

spec=engine/format/rnl_spec.h

# 0. The sources as they are compile.
fresh_copy
expect_ok control_op_rules "$work/engine/format/op_rules.cc"
expect_ok control_model "$work/engine/model.cc"
expect_ok control_modules "$(modules_tu)"

# 1. An op added to the list and nowhere else: no rule, no layer, no module.
fresh_copy
sed -i 's/^  X(Output, output, 50)$/  X(Output, output, 50) X(Forgotten, forgotten, 99)/' "$work/$spec"
grep -q "X(Forgotten, forgotten, 99)" "$work/$spec" || fail "could not add an op to $spec (did the list's last line change?)"
expect_error new_op_without_rule "$work/engine/format/op_rules.cc" "kOpRules needs one rule per op"
expect_error new_op_without_layer "$work/engine/model.cc" "op kForgotten needs its engine layer"
expect_error new_op_without_module "$(modules_tu)" "op kForgotten needs its module"

# 2. A rule missing from the reader's table.
fresh_copy
sed -i '/{Op::kExpDecay, /d' "$work/engine/format/op_rules.cc"
expect_error rule_missing "$work/engine/format/op_rules.cc" "kOpRules needs one rule per op"

# 3. A case missing from the engine's bind_layer switch.
fresh_copy
sed -i '/case rnl::Op::kExpDecay:/d' "$work/engine/model.cc"
expect_error bind_case_missing "$work/engine/model.cc" "kExpDecay.* not handled in switch"

# 4. The engine layer's header not included (or the layer never written).
fresh_copy
sed -i '\|#include "engine/layers/exp_decay.h"|d' "$work/engine/model.h"
expect_error layer_missing "$work/engine/model.cc" "op kExpDecay needs its engine layer"

# 5. The trainer module missing.
fresh_copy
sed -i '\|#include "trainer/nn/exp_decay.h"|d' "$work/trainer/nn/modules.h"
expect_error module_missing "$(modules_tu)" "op kExpDecay needs its module"

# 6. An engine layer that does not derive from the one base.
fresh_copy
sed -i 's/^struct ExpDecay : LayerBase {$/struct ExpDecay {/' "$work/engine/layers/exp_decay.h"
grep -q "^struct ExpDecay {$" "$work/engine/layers/exp_decay.h" || fail "could not take ExpDecay off its base (did exp_decay.h change?)"
expect_error layer_without_base "$work/engine/model.cc" "layers::ExpDecay must derive from layers::LayerBase"

# The checks below read the sources as they are.
ops=$(sed -n 's/^  X(\([A-Za-z0-9]*\), \([a-z0-9_]*\), \([0-9]*\)).*/\1 \2 \3/p' "$src/$spec")
[ "$(echo "$ops" | wc -l)" -ge 20 ] || fail "could not read the op list from $spec"

# 7. Docs and tests name every op: a row "| `kName` | code |" in FORMAT.md, the layer in
#    INTERNALS.md's layer list, and its engine header included by a tests/layers_*_test.cc
#    (the event-by-event test against a full-sequence reference).
while read -r name snake code; do
  grep -q "^| \`k$name\` | $code |" "$src/engine/format/FORMAT.md" || fail "FORMAT.md has no row for k$name (code $code)"
  grep -qiw "$snake" "$src/docs/INTERNALS.md" || fail "docs/INTERNALS.md does not list the layer $snake"
  grep -q "^#include \"engine/layers/$snake.h\"" "$src"/tests/layers_*_test.cc ||
    fail "no tests/layers_*_test.cc includes engine/layers/$snake.h (the layer's own test)"
done <<<"$ops"

# 8. engine/layers/ holds the layers and nothing else: every file there is named after an
#    op (or is layer.h, the contract); shared code lives in engine/layers/support/.
snakes=" $(echo "$ops" | awk '{print $2}' | tr '\n' ' ') "
for f in "$src"/engine/layers/*.h "$src"/engine/layers/*.cc; do
  base=$(basename "$f"); base=${base%.*}
  [ "$base" = layer ] && continue
  case "$snakes" in *" $base "*) ;; *) fail "engine/layers/$(basename "$f") is not named after an op (helpers go in engine/layers/support/)" ;; esac
done

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all op-list checks passed"
