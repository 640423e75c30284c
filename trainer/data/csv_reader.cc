#include "trainer/data/csv_reader.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <unordered_set>

namespace runnel::data {

std::unique_ptr<std::ifstream> open_csv_file(const std::string& path, const std::string& name) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw CsvError(name + ": is a directory, not a CSV file");
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*in) throw CsvError(name + ": cannot open file: " + std::strerror(errno));
  return in;
}

CsvReader::CsvReader(const std::string& path, std::string name)
    : name_(name.empty() ? path : std::move(name)) {
  file_ = open_csv_file(path, name_);
  in_ = file_.get();
  init();
}

CsvReader::CsvReader(std::istream& in, std::string name) : in_(&in), name_(std::move(name)) {
  init();
}

void CsvReader::init() {
  std::vector<std::size_t> lines;
  if (peek() == 0xEF) {  // UTF-8 byte order mark
    get();
    if (get() != 0xBB || get() != 0xBF) throw CsvError(name_ + ":1:1: malformed byte order mark");
  }
  if (!read_record(header_, lines)) throw CsvError(name_ + ": empty file (no header row)");
  record_line_ = lines.empty() ? 1 : lines[0];
  std::unordered_set<std::string> seen;
  for (std::size_t c = 0; c < header_.size(); ++c)
    if (!seen.insert(header_[c]).second)
      throw CsvError(name_ + ":" + std::to_string(record_line_) + ":" + std::to_string(c + 1) +
                     ": duplicate column '" + header_[c] + "' in header");
}

int CsvReader::get() { return in_->get(); }
int CsvReader::peek() { return in_->peek(); }

long CsvReader::find_column(const std::string& column_name) const {
  for (std::size_t c = 0; c < header_.size(); ++c)
    if (header_[c] == column_name) return static_cast<long>(c);
  return -1;
}

std::size_t CsvReader::column(const std::string& column_name) const {
  long c = find_column(column_name);
  if (c < 0) {
    std::string have;
    for (std::size_t i = 0; i < header_.size(); ++i) have += (i ? ", " : "") + header_[i];
    throw CsvError(name_ + ":1: missing column '" + column_name + "' in header (have: " + have +
                   ")");
  }
  return static_cast<std::size_t>(c);
}

// One record: fields separated by ',', ended by LF, CRLF or end of file. Returns false
// at end of file before any character of a record. Blank lines are skipped.
bool CsvReader::read_record(std::vector<std::string>& out, std::vector<std::size_t>& lines) {
  out.clear();
  lines.clear();
  for (;;) {
    int c = peek();
    if (c == EOF) return false;
    if (c == '\n') { get(); ++line_; continue; }
    if (c == '\r') {
      get();
      if (peek() == '\n') get();
      ++line_;
      continue;
    }
    break;
  }
  for (;;) {
    std::string field;
    std::size_t field_line = line_;
    lines.push_back(field_line);
    int c = peek();
    if (c == '"') {
      get();
      for (;;) {
        c = get();
        if (c == EOF) {
          throw CsvError(name_ + ":" + std::to_string(field_line) + ":" +
                         std::to_string(out.size() + 1) + ": unterminated quoted field (opened here)");
        }
        if (c == '"') {
          if (peek() == '"') { get(); field.push_back('"'); continue; }
          break;
        }
        if (c == 0) nul_byte(field_line, out.size());
        if (c == '\n') ++line_;
        if (c == '\r') {
          if (peek() != '\n') ++line_;
        }
        field.push_back(static_cast<char>(c));
      }
      c = peek();
      if (c != ',' && c != '\n' && c != '\r' && c != EOF)
        throw CsvError(name_ + ":" + std::to_string(line_) + ":" + std::to_string(out.size() + 1) +
                       ": unexpected character '" + std::string(1, static_cast<char>(c)) +
                       "' after a closing quote");
    } else {
      for (;;) {
        c = peek();
        if (c == ',' || c == '\n' || c == '\r' || c == EOF) break;
        if (c == '"')
          throw CsvError(name_ + ":" + std::to_string(line_) + ":" +
                         std::to_string(out.size() + 1) +
                         ": quote inside an unquoted field (quote the whole field)");
        if (c == 0) nul_byte(line_, out.size());
        field.push_back(static_cast<char>(get()));
      }
    }
    out.push_back(std::move(field));
    c = get();
    if (c == ',') continue;
    if (c == '\r') {
      if (peek() == '\n') get();
      ++line_;
    } else if (c == '\n') {
      ++line_;
    }
    return true;  // LF, CRLF, lone CR or EOF
  }
}

// A NUL byte is never text: a binary file, or a name that would be cut short where it
// is written as a C string (model vocabularies).
void CsvReader::nul_byte(std::size_t line, std::size_t field) const {
  throw CsvError(name_ + ":" + std::to_string(line) + ":" + std::to_string(field + 1) +
                 ": NUL byte in a field (a CSV file is text)");
}

bool CsvReader::next() {
  if (!read_record(row_, field_lines_)) return false;
  record_line_ = field_lines_.empty() ? line_ : field_lines_[0];
  ++records_;
  if (row_.size() != header_.size())
    throw CsvError(name_ + ":" + std::to_string(record_line_) + ": expected " +
                   std::to_string(header_.size()) + " fields as in the header, got " +
                   std::to_string(row_.size()));
  return true;
}

void CsvReader::fail(std::size_t col, const std::string& message) const {
  std::size_t line = col < field_lines_.size() ? field_lines_[col] : record_line_;
  std::string where = name_ + ":" + std::to_string(line) + ":" + std::to_string(col + 1);
  if (col < header_.size()) where += " (" + header_[col] + ")";
  throw CsvError(where + ": " + message);
}

void CsvReader::fail_line(const std::string& message) const {
  throw CsvError(name_ + ":" + std::to_string(record_line_) + ": " + message);
}

double CsvReader::number(std::size_t col) const {
  const std::string& s = row_.at(col);
  const char* begin = s.c_str();
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(begin, &end);
  bool ok = end != begin;
  if (ok)
    for (const char* p = end; *p; ++p)
      if (*p != ' ' && *p != '\t') ok = false;
  for (const char* p = begin; ok && p < end; ++p)
    if (!(*p == ' ' || *p == '\t' || *p == '+' || *p == '-' || *p == '.' || *p == 'e' ||
          *p == 'E' || (*p >= '0' && *p <= '9')))
      ok = false;  // rejects "nan", "inf", hex
  if (!ok || !std::isfinite(v)) fail(col, "expected a number, got '" + s + "'");
  return v;
}

double CsvReader::number_or_missing(std::size_t col) const {
  const std::string& s = row_.at(col);
  std::string word;
  for (char c : s)
    if (c != ' ' && c != '\t') word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* missing : {"", "na", "n/a", "nan", "null", "none"})
    if (word == missing) return std::nan("");
  return number(col);
}

double CsvReader::float32_number(std::size_t col) const {
  const double v = number(col);
  if (std::abs(v) > std::numeric_limits<float>::max())
    fail(col, row_.at(col) + " is outside float32's range (|x| <= 3.4e38)");
  return v;
}

double CsvReader::float32_number_or_missing(std::size_t col) const {
  const double v = number_or_missing(col);
  return std::isnan(v) ? v : float32_number(col);
}

std::string csv_quote(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace runnel::data
