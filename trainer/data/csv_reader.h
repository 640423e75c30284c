// Streaming CSV reader: RFC 4180 quoting ("a ""b""", fields spanning lines), CRLF or LF
// line ends, a header row, one record at a time (the file is never loaded whole).
//
// Every error is a CsvError whose message names the file, the line and, where one is
// involved, the column (1-based field index) and its header name, e.g.
//   events.csv:1234:7 (n_files): expected a number, got 'abc'
//   events.csv:1: missing column 'time' in header (have: entity, ts, kind)
//   events.csv:17: expected 7 fields as in the header, got 6
//   events.csv:20:3: unterminated quoted field (opened here)
//   events.csv: empty file (no header row)
//   events.csv:1:2: NUL byte in a field (a CSV file is text)
#ifndef RUNNEL_TRAINER_DATA_CSV_READER_H_
#define RUNNEL_TRAINER_DATA_CSV_READER_H_

#include <cstddef>
#include <fstream>
#include <istream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace runnel::data {

class CsvError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class CsvReader {
 public:
  // Opens `path` and reads the header row. `name` (default: path) is what errors call
  // the file.
  explicit CsvReader(const std::string& path, std::string name = "");
  // Reads from a stream the caller keeps alive (tests, stdin).
  CsvReader(std::istream& in, std::string name);

  const std::string& name() const { return name_; }
  const std::vector<std::string>& header() const { return header_; }
  // Index of a header column; throws CsvError "file:1: missing column 'x' in header".
  std::size_t column(const std::string& column_name) const;
  // -1 when absent.
  long find_column(const std::string& column_name) const;

  // Reads the next record into row(); false at end of file. Blank lines are skipped.
  // Throws on a ragged row, an unterminated quote or a stray quote.
  bool next();
  const std::vector<std::string>& row() const { return row_; }
  const std::string& field(std::size_t col) const { return row_.at(col); }
  // Line on which the current record starts (1 = header).
  std::size_t line() const { return record_line_; }
  // Records read so far (header excluded).
  std::size_t records() const { return records_; }

  // Field `col` of the current record as a finite number (leading/trailing blanks
  // allowed); throws "file:line:col (name): expected a number, got 'abc'".
  double number(std::size_t col) const;
  // The same, but an empty (blank) cell or one of NA, N/A, NaN, null, None (any case)
  // is a missing value: NaN.
  double number_or_missing(std::size_t col) const;
  // number() / number_or_missing() of a value that becomes a float32 model input: a
  // finite value beyond float32's range is refused too ("...: 1e39 is outside float32's
  // range (|x| <= 3.4e38)"); returned unrounded.
  double float32_number(std::size_t col) const;
  double float32_number_or_missing(std::size_t col) const;
  // Throws CsvError "file:line:col (name): message" for the current record.
  [[noreturn]] void fail(std::size_t col, const std::string& message) const;
  [[noreturn]] void fail_line(const std::string& message) const;

 private:
  void init();
  bool read_record(std::vector<std::string>& out, std::vector<std::size_t>& field_lines);
  int get();
  int peek();
  [[noreturn]] void nul_byte(std::size_t line, std::size_t field) const;

  std::unique_ptr<std::ifstream> file_;
  std::istream* in_ = nullptr;
  std::string name_;
  std::vector<std::string> header_;
  std::vector<std::string> row_;
  std::vector<std::size_t> field_lines_;
  std::size_t line_ = 1;          // physical line of the next character
  std::size_t record_line_ = 0;
  std::size_t records_ = 0;
};

// Opens a file to read as CSV; throws CsvError "name: is a directory, not a CSV file" or
// "name: cannot open file: <reason>" (a directory would otherwise open and read as empty).
std::unique_ptr<std::ifstream> open_csv_file(const std::string& path, const std::string& name);

// Quotes a field for writing when it needs it (comma, quote, CR or LF).
std::string csv_quote(const std::string& field);

}  // namespace runnel::data

#endif  // RUNNEL_TRAINER_DATA_CSV_READER_H_
