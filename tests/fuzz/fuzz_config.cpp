// Fuzz target for every parser of user input: the topology and scenario YAML, the
// expectation grammar, and the operators' native files (keepalived.conf, haproxy.cfg,
// pgbouncer.ini, main.cf, NFS mount options). Every input goes through each of them. The
// contract (DESIGN.md decision 6): bad input is an InputError, whatever the bytes. Any other
// exception escapes this function, std::terminate aborts, and the fuzzer (or the corpus
// replay test) reports it like a crash; ASan and UBSan catch the rest in `make fuzz`.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/expectation.hpp"
#include "config/native/haproxy_cfg.hpp"
#include "config/native/keepalived_conf.hpp"
#include "config/native/nfs_mount.hpp"
#include "config/native/pgbouncer_ini.hpp"
#include "config/native/postfix_main_cf.hpp"
#include "config/scenario.hpp"
#include "config/topology.hpp"
#include "core/error.hpp"

namespace {
template <class F>
void expect_input_error_or_success(F parse) {
  try {
    parse();
  } catch (const mailsim::core::InputError&) {
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace config = mailsim::config;
  namespace native = mailsim::config::native;
  const std::string text(reinterpret_cast<const char*>(data), size);
  expect_input_error_or_success([&] { (void)config::parse_topology(text, "fuzz.yaml"); });
  expect_input_error_or_success([&] { (void)config::parse_scenario(text, "fuzz.yaml"); });
  expect_input_error_or_success([&] {
    (void)config::parse_expectation(text, [](size_t) { return mailsim::core::SourceMark{"fuzz", 1, 1}; });
  });
  expect_input_error_or_success([&] { (void)native::parse_keepalived_conf(text, "keepalived.conf"); });
  expect_input_error_or_success([&] { (void)native::parse_haproxy_cfg(text, "haproxy.cfg"); });
  expect_input_error_or_success([&] { (void)native::parse_pgbouncer_ini(text, "pgbouncer.ini"); });
  expect_input_error_or_success([&] { (void)native::parse_postfix_main_cf(text, "main.cf"); });
  expect_input_error_or_success([&] { (void)native::parse_nfs_mount(text, "fstab"); });
  return 0;
}
