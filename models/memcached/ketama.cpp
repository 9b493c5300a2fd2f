#include "models/memcached/ketama.hpp"

#include <algorithm>
#include <cmath>

namespace mailsim::models {

namespace {

uint32_t rotl(uint32_t x, int c) { return (x << c) | (x >> (32 - c)); }

// Per-round shift amounts (RFC 1321 section 3.4).
constexpr std::array<int, 16> kShift{7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21};

uint32_t le32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
         static_cast<uint32_t>(p[3]) << 24;
}

}  // namespace

std::array<uint8_t, 16> md5(const std::string& data) {
  // T[i] = floor(2^32 * |sin(i + 1)|), computed once.
  static const std::array<uint32_t, 64> kT = [] {
    std::array<uint32_t, 64> t{};
    for (size_t i = 0; i < t.size(); ++i) t[i] = static_cast<uint32_t>(std::floor(std::fabs(std::sin(i + 1.0)) * 4294967296.0));
    return t;
  }();
  std::vector<uint8_t> msg(data.begin(), data.end());
  const uint64_t bits = static_cast<uint64_t>(msg.size()) * 8;
  msg.push_back(0x80);
  while (msg.size() % 64 != 56) msg.push_back(0);
  for (int i = 0; i < 8; ++i) msg.push_back(static_cast<uint8_t>(bits >> (8 * i)));

  uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  for (size_t block = 0; block < msg.size(); block += 64) {
    uint32_t m[16];
    for (int i = 0; i < 16; ++i) m[i] = le32(&msg[block + 4 * static_cast<size_t>(i)]);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    for (int i = 0; i < 64; ++i) {
      uint32_t f;
      int g;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      const uint32_t next = b + rotl(a + f + kT[static_cast<size_t>(i)] + m[g], kShift[static_cast<size_t>(i / 16 * 4 + i % 4)]);
      a = d;
      d = c;
      c = b;
      b = next;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
  }
  std::array<uint8_t, 16> out{};
  for (size_t i = 0; i < 16; ++i) out[i] = static_cast<uint8_t>(h[i / 4] >> (8 * (i % 4)));
  return out;
}

KetamaRing::KetamaRing(const std::vector<std::string>& servers) {
  for (size_t s = 0; s < servers.size(); ++s)
    for (int n = 0; n < kDigestsPerServer; ++n) {
      const auto digest = md5(servers[s] + "-" + std::to_string(n));
      for (size_t k = 0; k < 4; ++k) ring_.push_back({le32(&digest[4 * k]), static_cast<int>(s)});
    }
  std::sort(ring_.begin(), ring_.end(),
            [](const Point& x, const Point& y) { return x.at != y.at ? x.at < y.at : x.server < y.server; });
}

int KetamaRing::server_of(const std::string& key) const {
  if (ring_.empty()) return -1;
  const uint32_t h = le32(md5(key).data());
  auto it = std::lower_bound(ring_.begin(), ring_.end(), h, [](const Point& p, uint32_t v) { return p.at < v; });
  return it == ring_.end() ? ring_.front().server : it->server;
}

}  // namespace mailsim::models
