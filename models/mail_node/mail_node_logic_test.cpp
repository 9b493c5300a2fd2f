#include "models/mail_node/mail_node_logic.hpp"

#include <gtest/gtest.h>

using namespace mailsim::models;

TEST(WorkerPool, RunsUpToWorkersThenQueuesThenRejects) {
  WorkerPool<int> p(2, 1);
  EXPECT_EQ(p.admit(1), Admission::kRun);
  EXPECT_EQ(p.admit(2), Admission::kRun);
  EXPECT_EQ(p.admit(3), Admission::kQueued);
  EXPECT_EQ(p.admit(4), Admission::kRejected);
  int next = 0;
  EXPECT_TRUE(p.release(next));  // the freed worker takes the waiting one, FIFO
  EXPECT_EQ(next, 3);
  EXPECT_EQ(p.busy(), 2);
  EXPECT_FALSE(p.release(next));
  EXPECT_EQ(p.busy(), 1);
}

TEST(WorkerPool, ClearReturnsWaitingItemsAndFreesWorkers) {
  WorkerPool<int> p(1, 5);
  p.admit(1);
  p.admit(2);
  p.admit(3);
  auto waiting = p.clear();
  ASSERT_EQ(waiting.size(), 2u);
  EXPECT_EQ(waiting.front(), 2);
  EXPECT_EQ(p.busy(), 0);
  EXPECT_EQ(p.admit(4), Admission::kRun);
}
