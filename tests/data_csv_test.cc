#define BOOST_TEST_MODULE data_csv
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <sstream>
#include <string>

#include "trainer/data/csv_reader.h"

using runnel::data::CsvError;
using runnel::data::CsvReader;
using namespace std::string_literals;

namespace {
std::string error_of(const std::string& text, int col = -1) {
  try {
    std::istringstream in(text);
    CsvReader r(in, "events.csv");
    while (r.next())
      if (col >= 0) r.number(static_cast<std::size_t>(col));
  } catch (const CsvError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

BOOST_AUTO_TEST_CASE(quoting_and_line_ends) {
  std::istringstream in(
      "a,b,c\r\n"
      "1,\"x,y\",\"say \"\"hi\"\"\"\r\n"
      "2,\"two\nlines\",\r\n"
      "\n"
      "3,,\"\"\n"
      "4,last,no-newline");
  CsvReader r(in, "t.csv");
  BOOST_TEST(r.header().size() == 3u);
  BOOST_TEST(r.column("c") == 2u);
  BOOST_REQUIRE(r.next());
  BOOST_TEST(r.line() == 2u);
  BOOST_TEST(r.field(1) == "x,y");
  BOOST_TEST(r.field(2) == "say \"hi\"");
  BOOST_REQUIRE(r.next());
  BOOST_TEST(r.line() == 3u);
  BOOST_TEST(r.field(1) == "two\nlines");
  BOOST_TEST(r.field(2) == "");
  BOOST_REQUIRE(r.next());
  BOOST_TEST(r.line() == 6u);  // the blank line 5 is skipped
  BOOST_TEST(r.field(1) == "");
  BOOST_TEST(r.field(2) == "");
  BOOST_REQUIRE(r.next());
  BOOST_TEST(r.line() == 7u);
  BOOST_TEST(r.field(2) == "no-newline");
  BOOST_TEST(r.number(0) == 4.0);
  BOOST_TEST(!r.next());
  BOOST_TEST(r.records() == 4u);
}

BOOST_AUTO_TEST_CASE(byte_order_mark_is_skipped) {
  std::istringstream in("\xEF\xBB\xBFid,v\n1,2\n");
  CsvReader r(in, "t.csv");
  BOOST_TEST(r.header()[0] == "id");
}

BOOST_AUTO_TEST_CASE(errors_name_file_line_and_column) {
  BOOST_TEST(error_of("entity,time,n_files\n1,2,3\n1,3,abc\n", 2) ==
             "events.csv:3:3 (n_files): expected a number, got 'abc'");
  BOOST_TEST(error_of("a,b\n1,2\n1,2,3\n") == "events.csv:3: expected 2 fields as in the header, got 3");
  BOOST_TEST(error_of("a,b\n1,2\n1\n") == "events.csv:3: expected 2 fields as in the header, got 1");
  BOOST_TEST(error_of("a,b\n1,2\n\n1,\"open\nstill open\n") ==
             "events.csv:4:2: unterminated quoted field (opened here)");
  BOOST_TEST(error_of("") == "events.csv: empty file (no header row)");
  BOOST_TEST(error_of("\n\r\n") == "events.csv: empty file (no header row)");
  BOOST_TEST(error_of("a,b\n1,x\"y\n") ==
             "events.csv:2:2: quote inside an unquoted field (quote the whole field)");
  BOOST_TEST(error_of("a,b\n1,\"x\"y\n") ==
             "events.csv:2:2: unexpected character 'y' after a closing quote");
  BOOST_TEST(error_of("a,a\n") == "events.csv:1:2: duplicate column 'a' in header");
  BOOST_TEST(error_of("a,b\n1,nan\n", 1) == "events.csv:2:2 (b): expected a number, got 'nan'");
  BOOST_TEST(error_of("a,b\n1,\n", 1) == "events.csv:2:2 (b): expected a number, got ''");
  // Issue 17: a NUL byte, in a header name or a value, quoted or not, is refused.
  BOOST_TEST(error_of("a,b\0c\n1,2\n"s) == "events.csv:1:2: NUL byte in a field (a CSV file is text)");
  BOOST_TEST(error_of("a,b\n1,2\n\"x\0\",3\n"s) ==
             "events.csv:3:1: NUL byte in a field (a CSV file is text)");
}

// Issue 17: a value that becomes a float32 model input must fit float32, and the error
// names its column.
BOOST_AUTO_TEST_CASE(float32_values_name_the_column_when_out_of_range) {
  std::istringstream in("t,amount\n1,3.4e38\n2,-1e39\n3,NA\n");
  CsvReader r(in, "events.csv");
  BOOST_REQUIRE(r.next());
  BOOST_TEST(r.float32_number(1) == 3.4e38);
  BOOST_REQUIRE(r.next());
  BOOST_TEST(r.number(1) == -1e39);   // a double is fine where a double is stored (time)
  try {
    r.float32_number_or_missing(1);
    BOOST_FAIL("no error");
  } catch (const CsvError& e) {
    BOOST_TEST(std::string(e.what()) == "events.csv:3:2 (amount): -1e39 is outside float32's range (|x| <= 3.4e38)");
  }
  BOOST_REQUIRE(r.next());
  BOOST_TEST(std::isnan(r.float32_number_or_missing(1)));
}

BOOST_AUTO_TEST_CASE(missing_column_and_missing_file) {
  std::istringstream in("entity,ts\n");
  CsvReader r(in, "events.csv");
  try {
    r.column("time");
    BOOST_FAIL("no error");
  } catch (const CsvError& e) {
    BOOST_TEST(std::string(e.what()) == "events.csv:1: missing column 'time' in header (have: entity, ts)");
  }
  BOOST_CHECK_THROW(CsvReader("no/such/file.csv"), CsvError);
  // Issue 17: a directory opens as an empty stream; it is named for what it is.
  try {
    CsvReader(".", "dir");
    BOOST_FAIL("no error");
  } catch (const CsvError& e) {
    BOOST_TEST(std::string(e.what()) == "dir: is a directory, not a CSV file");
  }
}

BOOST_AUTO_TEST_CASE(numbers_accept_blanks_and_exponents) {
  std::istringstream in("x\n 1.5e3 \n-2\n");
  CsvReader r(in, "t.csv");
  r.next();
  BOOST_TEST(r.number(0) == 1500.0);
  r.next();
  BOOST_TEST(r.number(0) == -2.0);
}

BOOST_AUTO_TEST_CASE(quote_roundtrip) {
  std::string f = "a \"b\", c\nd";
  std::istringstream in("h\n" + runnel::data::csv_quote(f) + "\n");
  CsvReader r(in, "t.csv");
  r.next();
  BOOST_TEST(r.field(0) == f);
  BOOST_TEST(runnel::data::csv_quote("plain") == "plain");
}
