// Boost.Test's runner compiled into each device test (tests/device): the cross targets have
// no Boost.Test library to link, so its header-only form is built once here. The suites
// keep their own BOOST_TEST_MODULE; this file supplies main() and the framework.
#include <boost/test/included/unit_test.hpp>
