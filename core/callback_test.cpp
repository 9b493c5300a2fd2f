#include "core/callback.hpp"

#include <gtest/gtest.h>

#include <array>
#include <memory>

namespace mailsim::core {
namespace {

TEST(Callback, SmallClosuresAreStoredInlineAndLargeOnesOnTheHeap) {
  struct Small {
    std::array<char, Callback::kInlineBytes> bytes;
    void operator()() {}
  };
  struct Large {
    std::array<char, Callback::kInlineBytes + 1> bytes;
    void operator()() {}
  };
  EXPECT_TRUE(Callback::fits_inline<Small>());
  EXPECT_FALSE(Callback::fits_inline<Large>());
  int calls = 0;
  Callback a([&calls, big = Large{}]() mutable { (void)big, ++calls; });
  a();
  EXPECT_EQ(calls, 1);
}

TEST(Callback, MoveOnlyCallablesAreAcceptedAndRunAfterAMove) {
  auto p = std::make_unique<int>(41);
  Callback a([p = std::move(p)] { ++*p; });
  Callback b(std::move(a));
  EXPECT_FALSE(a);
  ASSERT_TRUE(b);
  b();
  Callback c;
  c = std::move(b);
  EXPECT_FALSE(b);
  c();
}

TEST(Callback, CapturesAreDestroyedExactlyOnceWhetherInlineOrOnTheHeap) {
  auto inline_token = std::make_shared<int>(0);
  auto heap_token = std::make_shared<int>(0);
  {
    Callback a([inline_token] {});
    Callback b([heap_token, pad = std::array<char, 2 * Callback::kInlineBytes>{}] { (void)pad; });
    EXPECT_EQ(inline_token.use_count(), 2);
    EXPECT_EQ(heap_token.use_count(), 2);
    Callback a2(std::move(a));
    Callback b2(std::move(b));
    EXPECT_EQ(inline_token.use_count(), 2) << "a move hands the capture over, it does not copy it";
    EXPECT_EQ(heap_token.use_count(), 2);
    a2.reset();
    EXPECT_EQ(inline_token.use_count(), 1);
  }
  EXPECT_EQ(heap_token.use_count(), 1);
}

}  // namespace
}  // namespace mailsim::core
