#pragma once
// A copy of an example folder (examples/ci, an infrastructure repository) in a fresh
// temporary folder, removed at the end of the test, for tests that edit its files as an
// operator would. The pid is in its name: checkouts testing at once on one machine share /tmp.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/common/run_binary.hpp"

namespace mailsim::testing {

class ExampleCopy {
 public:
  // A copy of `source` named after `tag` (the test's own) and `name` (the case's).
  ExampleCopy(const std::string& source, const std::string& tag, const std::string& name)
      : dir_(std::filesystem::temp_directory_path() / (tag + "-" + std::to_string(getpid()) + "-" + name)) {
    std::filesystem::remove_all(dir_);
    std::filesystem::copy(source, dir_, std::filesystem::copy_options::recursive);
  }
  ~ExampleCopy() { std::filesystem::remove_all(dir_); }
  ExampleCopy(const ExampleCopy&) = delete;
  ExampleCopy& operator=(const ExampleCopy&) = delete;

  std::string path(const std::string& file) const { return (dir_ / file).string(); }
  void write(const std::string& file, const std::string& text) const {
    std::ofstream(path(file), std::ios::binary) << text;
  }
  // Replaces every `from` in `file` with `to`; the test fails if there is none.
  void edit(const std::string& file, const std::string& from, const std::string& to) const {
    std::string text = slurp(path(file));
    size_t n = 0;
    for (size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size(), ++n) text.replace(at, from.size(), to);
    ASSERT_GT(n, 0u) << from << " not in " << file;
    write(file, text);
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace mailsim::testing
