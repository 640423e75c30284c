// Shape plumbing ops against finite differences (float64).
#define BOOST_TEST_MODULE autograd_shape
#include "tests/autograd_fd.h"

using namespace runnel::testing;
namespace ag = runnel::ag;

BOOST_AUTO_TEST_CASE(op_reshape) {
  Rng rng(21);
  for (int t = 0; t < kTrials; ++t) {
    const Shape s = rng.shape(3);
    const Shape to{s[0] * s[1], s[2], 1};
    expect_gradients_match([to](const Vars& v) { return ag::mul(ag::reshape(v[0], to), v[1]); },
                           {rng.uniform(s), rng.uniform(to)}, "reshape " + str(s));
  }
}

BOOST_AUTO_TEST_CASE(op_transpose) {
  Rng rng(22);
  for (int t = 0; t < kTrials; ++t) {
    const Shape s = rng.shape(3);
    std::vector<std::size_t> perm{0, 1, 2};
    std::shuffle(perm.begin(), perm.end(), rng.gen);
    const Shape to{s[perm[0]], s[perm[1]], s[perm[2]]};
    expect_gradients_match([perm](const Vars& v) { return ag::mul(ag::transpose(v[0], perm), v[1]); },
                           {rng.uniform(s), rng.uniform(to)}, "transpose " + str(s));
  }
}

BOOST_AUTO_TEST_CASE(op_slice) {
  Rng rng(23);
  for (int t = 0; t < kTrials; ++t) {
    const Shape s = rng.shape(3);
    const int axis = static_cast<int>(rng.dim(0, 2));
    const std::size_t begin = rng.dim(0, s[axis] - 1), end = rng.dim(begin + 1, s[axis]);
    expect_gradients_match([=](const Vars& v) { return ag::exp(ag::slice(v[0], axis, begin, end)); },
                           {rng.uniform(s)}, "slice " + str(s));
  }
}

BOOST_AUTO_TEST_CASE(op_concat) {
  Rng rng(24);
  for (int t = 0; t < kTrials; ++t) {
    Shape a = rng.shape(3), b = a, c = a;
    const int axis = static_cast<int>(rng.dim(0, 2));
    b[axis] = rng.dim();
    c[axis] = rng.dim();
    expect_gradients_match([axis](const Vars& v) { return ag::exp(ag::concat(v, axis)); },
                           {rng.uniform(a), rng.uniform(b), rng.uniform(c)}, "concat " + str(a));
  }
  BOOST_CHECK_THROW(ag::concat<double>({ag::constant<double>(A(Shape{2, 3})), ag::constant<double>(A(Shape{3, 3}))}, 1),
                    std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(op_stack) {
  Rng rng(25);
  for (int t = 0; t < kTrials; ++t) {
    const Shape s = rng.shape(2);
    const int axis = static_cast<int>(rng.dim(0, 2));
    expect_gradients_match([axis](const Vars& v) { return ag::exp(ag::stack(v, axis)); },
                           {rng.uniform(s), rng.uniform(s)}, "stack " + str(s));
  }
}
