#define BOOST_TEST_MODULE smoke
#include <boost/test/unit_test.hpp>
#include <xtensor/xarray.hpp>
BOOST_AUTO_TEST_CASE(xtensor_adds) { xt::xarray<double> a{1, 2}; BOOST_TEST((a + a)(1) == 4.0); }
