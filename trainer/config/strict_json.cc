#include "trainer/config/strict_json.h"

#include <set>
#include <vector>

#include "trainer/config/config_error.h"

namespace runnel::config {
namespace {
using json = nlohmann::json;

std::string line_col(const std::string& text, std::size_t byte) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

// nlohmann's DOM builder with the checks added: the parser calls these methods on the
// derived type (sax_parse is a template), so each hides the base method and forwards.
class StrictDomParser : public nlohmann::detail::json_sax_dom_parser<json> {
  using Base = nlohmann::detail::json_sax_dom_parser<json>;

 public:
  StrictDomParser(json& root, const std::string& text, const std::string& name)
      : Base(root, true), text_(text), name_(name) {}

  bool null() { return element(), Base::null(); }
  bool boolean(bool v) { return element(), Base::boolean(v); }
  bool number_integer(number_integer_t v) { return element(), Base::number_integer(v); }
  bool number_unsigned(number_unsigned_t v) { return element(), Base::number_unsigned(v); }
  bool number_float(number_float_t v, const string_t& s) { return element(), Base::number_float(v, s); }
  bool string(string_t& v) { return element(), Base::string(v); }
  bool binary(binary_t& v) { return element(), Base::binary(v); }
  bool start_object(std::size_t n) {
    element();
    frames_.push_back(Frame{true});
    return Base::start_object(n);
  }
  bool key(string_t& k) {
    Frame& f = frames_.back();
    f.label = k;
    if (!f.keys.insert(k).second)
      throw ConfigError(name_ + ": " + path() + ": key given twice in one object (give each key once)");
    return Base::key(k);
  }
  bool end_object() {
    frames_.pop_back();
    return Base::end_object();
  }
  bool start_array(std::size_t n) {
    element();
    frames_.push_back(Frame{false});
    return Base::start_array(n);
  }
  bool end_array() {
    frames_.pop_back();
    return Base::end_array();
  }
  template <class Exception>
  bool parse_error(std::size_t byte, const std::string& token, const Exception& e) {
    if (e.id == 406) {  // a number the lexer read whole but double cannot hold: point at its start
      if (!frames_.empty() && !frames_.back().is_object) frames_.back().label = "[" + std::to_string(frames_.back().count) + "]";
      throw ConfigError(name_ + ": " + path() + ": number out of range: " + token + " (" +
                        line_col(text_, byte >= token.size() ? byte - token.size() : 0) + ")");
    }
    const std::string where = line_col(text_, byte ? byte - 1 : 0);
    const std::string what = e.what();
    const auto msg = what.find("parse error");
    throw ConfigError(name_ + ": malformed JSON at " + where + ": " +
                      (msg == std::string::npos ? what : what.substr(msg)));
  }

 private:
  struct Frame {
    bool is_object = false;
    std::set<std::string> keys;  // objects: keys seen so far
    std::size_t count = 0;       // arrays: elements started so far
    std::string label;           // the current child: its key, or "[i]"
  };

  // A value starts: inside an array it is the next element.
  void element() {
    if (frames_.empty() || frames_.back().is_object) return;
    Frame& f = frames_.back();
    f.label = "[" + std::to_string(f.count++) + "]";
  }

  // "train.lr", "model.streams[1].encoder": the current child of every open container.
  std::string path() const {
    std::string p;
    for (const Frame& f : frames_) p += (p.empty() || (!f.label.empty() && f.label[0] == '[') ? "" : ".") + f.label;
    return p.empty() ? "(top level)" : p;
  }

  const std::string& text_;
  const std::string& name_;
  std::vector<Frame> frames_;
};
}  // namespace

json parse_strict_json(const std::string& text, const std::string& name) {
  json root;
  StrictDomParser sax(root, text, name);
  json::sax_parse(text, &sax, json::input_format_t::json, /*strict=*/true, /*ignore_comments=*/true);
  return root;
}

}  // namespace runnel::config
