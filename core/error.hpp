#pragma once
// Error kinds and the exit codes they map to (DESIGN.md decision 6).
#include <stdexcept>
#include <string>
#include <vector>

namespace mailsim::core {

enum ExitCode : int { kExitOk = 0, kExitExpectationsFailed = 1, kExitBadInput = 2, kExitInternal = 3 };

// Where in an input file a value came from. line and col are 1-based; 0 means unknown.
struct SourceMark {
  std::string file;
  int line = 0;
  int col = 0;
};

// "file:line:col: message" ("file: message" when the line is unknown), made printable as
// InputError's text is: the form of every error and warning about an input.
std::string located(const SourceMark& mark, const std::string& message);

// Bad user input: printed as one line "file:line:col: message", exit code 2. The message
// is made safe to print and to put in JSON: control bytes and invalid UTF-8 are written
// \xNN, and it is cut at 1000 bytes.
class InputError : public std::runtime_error {
 public:
  InputError(SourceMark mark, const std::string& message);
  const SourceMark& mark() const { return mark_; }
  const std::string& message() const { return message_; }

 private:
  SourceMark mark_;
  std::string message_;
};

// A broken internal invariant: exit code 3 with the reproduction command.
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// Checks an invariant that must hold whatever the input; throws InternalError.
#define MAILSIM_ASSERT(cond, msg)                                                       \
  do {                                                                                  \
    if (!(cond))                                                                        \
      throw ::mailsim::core::InternalError(std::string(__FILE__) + ":" +                \
                                           std::to_string(__LINE__) + ": " + (msg));    \
  } while (0)

// "did you mean X?" suffix for the closest candidate within a small edit distance, or "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace mailsim::core
