#include "config/yaml_reader.hpp"

#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <set>
#include <sstream>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include "core/input_file.hpp"

namespace mailsim::config {

namespace {
std::string kind_name(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "a scalar";
    case YAML::NodeType::Null: return "nothing (null)";
    default: return "an undefined value";
  }
}
// Walks a document's events to find the key of every empty map value (see
// empty_value_keys_) and whether a second document follows.
class EmptyValueKeys : public YAML::EventHandler {
 public:
  std::vector<std::pair<YAML::Mark, YAML::Mark>> found;
  YAML::Mark document_start;

  void OnDocumentStart(const YAML::Mark& mark) override { document_start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    if (!levels_.empty() && levels_.back().map && !levels_.back().expect_key) found.emplace_back(mark, levels_.back().key);
    node(mark);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { node(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override { node(mark); }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(mark);
    levels_.push_back({false, true, {}});
  }
  void OnSequenceEnd() override { levels_.pop_back(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(mark);
    levels_.push_back({true, true, {}});
  }
  void OnMapEnd() override { levels_.pop_back(); }

 private:
  struct Level {
    bool map;
    bool expect_key;  // in a map: the next node is a key (else its value)
    YAML::Mark key;   // in a map: the last key's mark
  };
  // A node starts in the innermost collection: in a map, keys and values alternate.
  void node(const YAML::Mark& mark) {
    if (levels_.empty() || !levels_.back().map) return;
    Level& l = levels_.back();
    if (l.expect_key) l.key = mark;
    l.expect_key = !l.expect_key;
  }
  std::vector<Level> levels_;
};

}  // namespace

std::string read_text_file(const std::string& file) { return core::read_input_file(file); }

namespace {

// A second document needs a document marker (`---` or `...`) at the start of a line
// (YAML 1.2, 9.1), so a text without one after its first line holds one document at most.
bool may_hold_two_documents(const std::string& text) {
  for (size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', nl + 1))
    if (text.compare(nl + 1, 3, "---") == 0 || text.compare(nl + 1, 3, "...") == 0) return true;
  return false;
}

}  // namespace

YAML::Node YamlReader::load_string(const std::string& text) const {
  empty_value_keys_.reset();
  text_ = std::make_shared<const std::string>(text);
  try {
    YAML::Node root = YAML::Load(text);
    if (!root.IsDefined() || root.IsNull()) throw core::InputError({file_, 1, 1}, "the document is empty");
    // YAML::Load reads the first document only. A second pass over the text, through
    // yaml-cpp's event interface, finds a second one; it runs only when the text has a
    // document marker, since parsing costs most of a large file's validation.
    if (may_hold_two_documents(text)) {
      std::stringstream in(text);
      YAML::Parser parser(in);
      EmptyValueKeys first;
      parser.HandleNextDocument(first);
      empty_value_keys_ = std::make_shared<std::vector<std::pair<YAML::Mark, YAML::Mark>>>(std::move(first.found));
      EmptyValueKeys second;
      if (parser.HandleNextDocument(second))
        throw core::InputError({file_, second.document_start.line + 1, second.document_start.column + 1},
                               "a second YAML document: a file holds one topology or one scenario");
    }
    return root;
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own text for this is "bad file".
    throw core::InputError({file_, e.mark.line + 1, e.mark.column + 1},
                           "YAML syntax error: lists and maps nested too deeply for the YAML parser");
  } catch (const YAML::Exception& e) {
    if (e.mark.is_null()) throw core::InputError({file_, 0, 0}, "YAML syntax error: " + e.msg);
    throw core::InputError({file_, e.mark.line + 1, e.mark.column + 1}, "YAML syntax error: " + e.msg);
  }
}

const std::string& YamlReader::text() const {
  static const std::string none;
  return text_ ? *text_ : none;
}

// The keys of empty values, found by an event pass over the text the first time an error
// is reported at a null node (an error path: a valid file never pays for it).
const std::vector<std::pair<YAML::Mark, YAML::Mark>>& YamlReader::empty_value_keys() const {
  if (!empty_value_keys_) {
    EmptyValueKeys first;
    if (text_) {
      std::stringstream in(*text_);
      YAML::Parser parser(in);
      parser.HandleNextDocument(first);
    }
    empty_value_keys_ = std::make_shared<std::vector<std::pair<YAML::Mark, YAML::Mark>>>(std::move(first.found));
  }
  return *empty_value_keys_;
}

core::SourceMark YamlReader::mark(const YAML::Node& node) const {
  // A missing key's node (yaml-cpp's "zombie") has no position, and Mark() would throw.
  if (!node.IsDefined()) return {file_, 0, 0};
  YAML::Mark m = node.Mark();
  if (m.is_null()) {  // built in memory: an imported param, or nothing known
    if (origins_)
      for (const auto& o : *origins_)
        if (o.node.is(node)) return o.mark;
    return {file_, 0, 0};
  }
  if (node.IsNull())
    for (const auto& [value, key] : empty_value_keys())
      if (value.pos == m.pos && value.line == m.line && value.column == m.column) {
        m = key;
        break;
      }
  return {file_, m.line + 1, m.column + 1};
}

void YamlReader::fail(const YAML::Node& node, const std::string& message) const {
  throw core::InputError(mark(node), message);
}

void YamlReader::require_map(const YAML::Node& node, const std::string& what) const {
  if (!node.IsMap()) fail(node, fmt::format("{} must be a map, not {}", what, kind_name(node)));
}

void YamlReader::require_sequence(const YAML::Node& node, const std::string& what) const {
  if (!node.IsSequence()) fail(node, fmt::format("{} must be a list, not {}", what, kind_name(node)));
}

void YamlReader::check_keys(const YAML::Node& map, const std::vector<std::string>& allowed,
                            const std::string& what) const {
  // yaml-cpp 0.7 accepts a key given twice and lookups return the first value, so the
  // second would be silently ignored; YAML itself requires keys to be unique.
  std::set<std::string> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node key = it->first;
    if (!key.IsScalar()) fail(key, fmt::format("a key in {} must be a word, not {}", what, kind_name(key)));
    std::string k = key.Scalar();
    if (!seen.insert(k).second) fail(key, fmt::format("duplicate key '{}' in {}", k, what));
    bool ok = false;
    for (const auto& a : allowed) ok = ok || a == k;
    if (!ok) {
      std::string known;
      for (const auto& a : allowed) known += (known.empty() ? "" : ", ") + a;
      std::string hint = core::did_you_mean(k, allowed);
      fail(key, fmt::format("unknown key '{}' in {}{}", k, what,
                            hint.empty() ? " (known: " + known + ")" : hint));
    }
  }
}

YAML::Node YamlReader::required(const YAML::Node& map, const std::string& key, const std::string& what) const {
  YAML::Node v = map[key];
  if (!v.IsDefined()) fail(map, fmt::format("{} is missing required key '{}'", what, key));
  return v;
}

std::string YamlReader::scalar(const YAML::Node& node, const std::string& what) const {
  if (!node.IsScalar()) fail(node, fmt::format("expected {}, found {}", what, kind_name(node)));
  return node.Scalar();
}

std::string YamlReader::as_string(const YAML::Node& node) const { return scalar(node, "a string"); }

std::string YamlReader::as_name(const YAML::Node& node) const {
  std::string s = scalar(node, "a name");
  if (s.empty()) fail(node, "a name must not be empty");
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'))
      fail(node, fmt::format("'{}' is not a valid name: use letters, digits, '_', '-' and '.'", s));
  return s;
}

int64_t YamlReader::as_int(const YAML::Node& node, int64_t lo, int64_t hi) const {
  std::string s = scalar(node, "an integer");
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) fail(node, fmt::format("'{}' is not an integer", s));
  if (v < lo || v > hi) fail(node, fmt::format("{} is out of range [{}, {}]", v, lo, hi));
  return v;
}

double YamlReader::as_number(const YAML::Node& node, double lo, double hi) const {
  std::string s = scalar(node, "a number");
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v))
    fail(node, fmt::format("'{}' is not a number", s));
  if (v < lo || v > hi) fail(node, fmt::format("{} is out of range [{}, {}]", v, lo, hi));
  return v;
}

bool YamlReader::as_bool(const YAML::Node& node) const {
  std::string s = scalar(node, "true or false");
  if (s == "true") return true;
  if (s == "false") return false;
  fail(node, fmt::format("'{}' is not a boolean: write true or false", s));
}

std::string YamlReader::as_choice(const YAML::Node& node, const std::vector<std::string>& choices) const {
  std::string s = scalar(node, "one of the listed words");
  for (const auto& c : choices)
    if (c == s) return s;
  std::string known;
  for (const auto& c : choices) known += (known.empty() ? "" : ", ") + c;
  std::string hint = core::did_you_mean(s, choices);
  fail(node, fmt::format("'{}' is not one of: {}{}", s, known, hint));
}

#define MAILSIM_UNIT_READER(Type, fn, parser, what)                  \
  core::Type YamlReader::fn(const YAML::Node& node) const {          \
    std::string s = scalar(node, what);                              \
    try {                                                            \
      return core::parser(s);                                        \
    } catch (const core::UnitError& e) {                             \
      fail(node, e.message);                                         \
    }                                                                \
  }
MAILSIM_UNIT_READER(Duration, as_duration, parse_duration, "a duration like 250ms")
MAILSIM_UNIT_READER(Bytes, as_bytes, parse_bytes, "a size like 64KiB")
MAILSIM_UNIT_READER(Bandwidth, as_bandwidth, parse_bandwidth, "a bandwidth like 1Gbps")
MAILSIM_UNIT_READER(Rate, as_rate, parse_rate, "a rate like 200/s")
MAILSIM_UNIT_READER(Speed, as_speed, parse_speed, "a CPU speed like 2Gf")
MAILSIM_UNIT_READER(Fraction, as_fraction, parse_fraction, "a fraction like 5%")
#undef MAILSIM_UNIT_READER

std::vector<std::string> YamlReader::as_name_list(const YAML::Node& node) const {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(as_name(node));
    return out;
  }
  require_sequence(node, "this value");
  for (const auto& item : node) out.push_back(as_name(item));
  return out;
}

}  // namespace mailsim::config
