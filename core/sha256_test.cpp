// SHA-256 against FIPS 180-4's known vectors.
#include "core/sha256.hpp"

#include <gtest/gtest.h>

namespace mailsim::core {
namespace {

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex(std::string(1000, 'a')), Sha256().update(std::string(500, 'a')).update(std::string(500, 'a')).hex());
  EXPECT_NE(Sha256().field("ab").field("c").hex(), Sha256().field("a").field("bc").hex());
}

}  // namespace
}  // namespace mailsim::core
