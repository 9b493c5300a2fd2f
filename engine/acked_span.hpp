#pragma once
// What a store acknowledged of one service when it does not keep each item: how many, and
// when the first and the last were acknowledged. A store that loses them all at once
// reports the span to the durability ledger (lost(store, service, first, last, n)).
#include <cstdint>

namespace mailsim::engine {

struct AckedSpan {
  uint64_t n = 0;
  double first = 0, last = 0;
  void add(double t) {
    if (n++ == 0) first = t;
    last = t;
  }
};

}  // namespace mailsim::engine
