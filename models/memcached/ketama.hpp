#pragma once
// Consistent hashing of cache keys onto servers, as libmemcached's ketama does it
// (MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED off, MEMCACHED_DISTRIBUTION_CONSISTENT_KETAMA): each
// server puts 160 points on a 32-bit ring, four from each of 40 MD5 digests of
// "host:port-N"; a key's point is the first four bytes of MD5(key), little-endian, and the
// key belongs to the first server point at or after it (wrapping to the start). A user's key
// therefore always lands on one server, and removing a server moves only the keys it held.
// No SimGrid here.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace mailsim::models {

// MD5 (RFC 1321) of `data`: the 16-byte digest.
std::array<uint8_t, 16> md5(const std::string& data);

class KetamaRing {
 public:
  static constexpr int kDigestsPerServer = 40;  // libmemcached: points per server / 4
  // `servers` are the names hashed onto the ring ("host:port"); server i is index i.
  explicit KetamaRing(const std::vector<std::string>& servers);
  int server_of(const std::string& key) const;  // the index of the server that holds `key`
  size_t points() const { return ring_.size(); }

 private:
  struct Point {
    uint32_t at;
    int server;
  };
  std::vector<Point> ring_;  // sorted by `at`, ties by server index
};

}  // namespace mailsim::models
