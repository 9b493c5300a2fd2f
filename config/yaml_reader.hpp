#pragma once
// Typed access to a parsed YAML document with file:line:col in every error. Every reader
// function throws core::InputError pointing at the offending node (or key).
#include <yaml-cpp/yaml.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "config/config_files.hpp"
#include "core/error.hpp"
#include "core/units.hpp"

namespace mailsim::config {

// The whole file as text (core::read_input_file: "-" is standard input; a missing,
// unreadable or special file is an InputError at "file:1:1" with the reason).
std::string read_text_file(const std::string& file);

class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}
  // A reader that also knows where imported nodes came from (config_files.hpp): mark()
  // of such a node is its directive's position in the operator's file.
  YamlReader(std::string file, std::shared_ptr<const NodeOrigins> origins)
      : file_(std::move(file)), origins_(std::move(origins)) {}

  // Parses a document; syntax errors become InputError with yaml-cpp's position.
  YAML::Node load_string(const std::string& text) const;

  const std::string& file() const { return file_; }
  // The text the last load_string parsed ("" before any).
  const std::string& text() const;
  core::SourceMark mark(const YAML::Node& node) const;
  [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const;

  void require_map(const YAML::Node& node, const std::string& what) const;
  void require_sequence(const YAML::Node& node, const std::string& what) const;
  // Rejects keys not in `allowed`, with a did-you-mean, pointing at the key itself.
  void check_keys(const YAML::Node& map, const std::vector<std::string>& allowed,
                  const std::string& what) const;
  // The value under `key`; a missing key is an error at the map.
  YAML::Node required(const YAML::Node& map, const std::string& key, const std::string& what) const;

  std::string as_string(const YAML::Node& node) const;
  std::string as_name(const YAML::Node& node) const;  // [A-Za-z0-9_.-]+, not empty
  int64_t as_int(const YAML::Node& node, int64_t lo, int64_t hi) const;
  double as_number(const YAML::Node& node, double lo, double hi) const;
  bool as_bool(const YAML::Node& node) const;
  std::string as_choice(const YAML::Node& node, const std::vector<std::string>& choices) const;
  core::Duration as_duration(const YAML::Node& node) const;
  core::Bytes as_bytes(const YAML::Node& node) const;
  core::Bandwidth as_bandwidth(const YAML::Node& node) const;
  core::Rate as_rate(const YAML::Node& node) const;
  core::Speed as_speed(const YAML::Node& node) const;
  core::Fraction as_fraction(const YAML::Node& node) const;
  std::vector<std::string> as_name_list(const YAML::Node& node) const;

 private:
  std::string scalar(const YAML::Node& node, const std::string& what) const;
  // For each empty value ("key:" with nothing after it), its mark and its key's. yaml-cpp
  // marks an empty value at the next token, often on the next line; mark() reports the key
  // instead. Found from the text on first use (errors only); shared by copies of a reader.
  const std::vector<std::pair<YAML::Mark, YAML::Mark>>& empty_value_keys() const;
  std::string file_;
  std::shared_ptr<const NodeOrigins> origins_;
  mutable std::shared_ptr<const std::string> text_;  // the text load_string parsed
  mutable std::shared_ptr<std::vector<std::pair<YAML::Mark, YAML::Mark>>> empty_value_keys_;
};

}  // namespace mailsim::config
