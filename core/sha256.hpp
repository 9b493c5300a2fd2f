#pragma once
// SHA-256 (FIPS 180-4): cache keys of run sets (the key of a run is the hash of
// everything that decides its result: mailsim version, topology text, scenario text, seed,
// so a changed input never reads a stale result) and the fingerprints of the configuration
// files a run read (the run manifest). Written here rather than pulled from a
// crypto library: it is 100 lines, and a cache key needs no constant-time guarantees.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace mailsim::core {

class Sha256 {
 public:
  Sha256();
  Sha256& update(std::string_view data);
  // Adds a length-prefixed field, so ("ab","c") and ("a","bc") hash differently.
  Sha256& field(std::string_view data);
  std::string hex();  // finishes; the object must not be updated afterwards

 private:
  void block(const unsigned char* p);
  std::array<uint32_t, 8> h_;
  unsigned char buf_[64];
  size_t used_ = 0;
  uint64_t bytes_ = 0;
};

std::string sha256_hex(std::string_view data);

}  // namespace mailsim::core
