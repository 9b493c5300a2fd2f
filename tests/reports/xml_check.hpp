#pragma once
// A strict well-formedness check for the XML that reports write (the HTML page is written
// as well-formed XML too): every element closed in order, attribute values quoted, '<'
// only to start a tag, '&' only in the five XML entities or a numeric reference.
#include <cctype>
#include <string>
#include <vector>

namespace testing_xml {

inline bool well_formed(const std::string& s, std::string* why) {
  std::vector<std::string> open;
  size_t i = 0;
  auto fail = [&](const std::string& msg) {
    *why = msg + " at offset " + std::to_string(i) + ": '" + s.substr(i, 60) + "'";
    return false;
  };
  auto entity_ok = [&](size_t at) {
    for (const char* e : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"})
      if (s.compare(at, std::char_traits<char>::length(e), e) == 0) return true;
    if (s.compare(at, 2, "&#") == 0) {
      size_t k = at + 2;
      while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) ++k;
      return k > at + 2 && k < s.size() && s[k] == ';';
    }
    return false;
  };
  while (i < s.size()) {
    char c = s[i];
    if (c == '&') {
      if (!entity_ok(i)) return fail("bad entity");
      ++i;
      continue;
    }
    if (c != '<') {
      ++i;
      continue;
    }
    size_t end = s.find('>', i);
    if (end == std::string::npos) return fail("unclosed tag");
    bool closing = s[i + 1] == '/';
    size_t p = i + (closing ? 2 : 1);
    size_t name_end = p;
    while (name_end < end && (std::isalnum(static_cast<unsigned char>(s[name_end])) || s[name_end] == '-' || s[name_end] == ':'))
      ++name_end;
    std::string name = s.substr(p, name_end - p);
    if (name.empty()) return fail("'<' that does not start a tag");
    if (closing) {
      if (open.empty() || open.back() != name) return fail("</" + name + "> closes " + (open.empty() ? "nothing" : "<" + open.back() + ">"));
      open.pop_back();
      i = end + 1;
      continue;
    }
    // Attributes: name="value" pairs; '>' inside a quoted value is allowed.
    size_t k = name_end;
    bool self_closing = false;
    while (true) {
      while (k < s.size() && std::isspace(static_cast<unsigned char>(s[k]))) ++k;
      if (k >= s.size()) return fail("unclosed tag");
      if (s[k] == '>') break;
      if (s.compare(k, 2, "/>") == 0) {
        self_closing = true;
        ++k;
        break;
      }
      size_t a = k;
      while (k < s.size() && (std::isalnum(static_cast<unsigned char>(s[k])) || s[k] == '-' || s[k] == ':' || s[k] == '_')) ++k;
      if (k == a || k >= s.size() || s[k] != '=') return fail("bad attribute in <" + name + ">");
      ++k;
      if (s[k] != '"') return fail("unquoted attribute in <" + name + ">");
      size_t close = s.find('"', k + 1);
      if (close == std::string::npos) return fail("unclosed attribute value");
      std::string value = s.substr(k + 1, close - k - 1);
      if (value.find('<') != std::string::npos) return fail("'<' in an attribute value");
      for (size_t at = value.find('&'); at != std::string::npos; at = value.find('&', at + 1))
        if (!entity_ok(k + 1 + at)) return fail("bad entity in an attribute");
      k = close + 1;
    }
    if (!self_closing) open.push_back(name);
    i = k + 1;
  }
  if (!open.empty()) {
    *why = "<" + open.back() + "> is never closed";
    return false;
  }
  return true;
}

}  // namespace testing_xml
