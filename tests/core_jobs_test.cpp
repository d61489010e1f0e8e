// The background-job mechanism (core/jobs.h): the newest key wins, a cancelled work never publishes, the previous
// result stays until the next is ready, and the hub's wake callback runs once per published result.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "jobs.h"

using namespace attn;

namespace {

// A gate a work waits on, so a test decides when it finishes.
struct Gate {
  std::atomic<bool> open{false}, entered{false};
  void wait_open() const {
    while (!open) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void wait_entered() const {
    while (!entered) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
};

std::shared_ptr<JobHub> counting_hub(std::atomic<int>* wakes) {
  auto hub = std::make_shared<JobHub>();
  hub->set_wake([wakes] { ++*wakes; });
  return hub;
}

}  // namespace

TEST(Jobs, PublishesTheResultAndWakesTheLoopOnce) {
  std::atomic<int> wakes{0};
  auto hub = counting_hub(&wakes);
  Job<int, int> job;
  EXPECT_EQ(job.result(), nullptr);
  ASSERT_TRUE(job.start(hub, 7, [](const JobToken& t) {
    t.progress(1, 1);
    return 6 * 7;
  }));
  EXPECT_TRUE(job.pending());
  ASSERT_TRUE(job.wait(10));
  ASSERT_TRUE(hub->wait_idle(10));
  EXPECT_EQ(wakes, 1);
  EXPECT_EQ(hub->published(), 1u);
  EXPECT_TRUE(job.pending());  // finished, but the owner has not taken it yet
  ASSERT_TRUE(job.poll());
  ASSERT_NE(job.result(), nullptr);
  EXPECT_EQ(*job.result(), 42);
  EXPECT_EQ(*job.result_key(), 7);
  EXPECT_FALSE(job.pending());
  EXPECT_TRUE(job.current());
  EXPECT_FALSE(job.poll());  // nothing new
  EXPECT_FALSE(job.start(hub, 7, [](const JobToken&) { return 0; }));  // same inputs: nothing to do
  EXPECT_EQ(hub->in_flight(), 0);
}

TEST(Jobs, ANewKeyCancelsTheRunningWorkAndOnlyTheNewResultIsPublished) {
  std::atomic<int> wakes{0};
  auto hub = counting_hub(&wakes);
  Job<int, int> job;
  Gate g;
  std::atomic<bool> saw_cancel{false};
  job.start(hub, 1, [&](const JobToken& t) {
    g.entered = true;
    while (!t.cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    saw_cancel = true;
    return 1;  // returned after the cancel: must be dropped
  });
  g.wait_entered();
  EXPECT_EQ(hub->in_flight(), 1);
  job.start(hub, 2, [](const JobToken&) { return 2; });
  ASSERT_TRUE(job.wait(10));
  ASSERT_TRUE(hub->wait_idle(10));
  EXPECT_TRUE(saw_cancel);
  ASSERT_TRUE(job.poll());
  EXPECT_EQ(*job.result(), 2);
  EXPECT_EQ(*job.result_key(), 2);
  EXPECT_FALSE(job.poll());
  EXPECT_EQ(wakes, 1);  // the cancelled work woke nobody
  EXPECT_EQ(hub->published(), 1u);
}

TEST(Jobs, ThePreviousResultStaysUntilTheNewOneIsReady) {
  auto hub = std::make_shared<JobHub>();
  Job<int, std::string> job;
  job.start(hub, 1, [](const JobToken&) { return std::string("first"); });
  ASSERT_TRUE(job.wait(10));
  job.poll();
  Gate g;
  job.start(hub, 2, [&](const JobToken&) {
    g.entered = true;
    g.wait_open();
    return std::string("second");
  });
  g.wait_entered();
  EXPECT_FALSE(job.poll());
  EXPECT_EQ(*job.result(), "first");  // what the view keeps drawing meanwhile
  EXPECT_EQ(*job.result_key(), 1);
  EXPECT_TRUE(job.pending());
  g.open = true;
  ASSERT_TRUE(job.wait(10));
  ASSERT_TRUE(job.poll());
  EXPECT_EQ(*job.result(), "second");
}

TEST(Jobs, ACancelledWorkThatIgnoresItsTokenPublishesNothing) {
  std::atomic<int> wakes{0};
  auto hub = counting_hub(&wakes);
  Job<int, int> job;
  Gate g;
  job.start(hub, 1, [&](const JobToken&) {
    g.entered = true;
    g.wait_open();
    return 1;
  });
  g.wait_entered();
  job.cancel();
  EXPECT_FALSE(job.pending());
  g.open = true;
  ASSERT_TRUE(job.wait(10));
  ASSERT_TRUE(hub->wait_idle(10));
  EXPECT_FALSE(job.poll());
  EXPECT_EQ(job.result(), nullptr);
  EXPECT_EQ(wakes, 0);
  EXPECT_EQ(hub->published(), 0u);
}

TEST(Jobs, AQueuedWorkReplacedBeforeItRunsNeverRuns) {
  auto hub = std::make_shared<JobHub>();
  Job<int, int> job;
  Gate g;
  std::atomic<int> runs{0};
  job.start(hub, 1, [&](const JobToken&) {
    g.entered = true;
    g.wait_open();
    return 1;
  });
  g.wait_entered();
  job.start(hub, 2, [&](const JobToken&) {
    ++runs;
    return 2;
  });  // queued behind 1…
  job.start(hub, 3, [&](const JobToken&) { return 3; });          // …and replaced by 3 before it starts
  EXPECT_EQ(hub->in_flight(), 2);  // 1 (cancelled, still running) and 3
  g.open = true;
  ASSERT_TRUE(job.wait(10));
  ASSERT_TRUE(hub->wait_idle(10));
  EXPECT_EQ(runs, 0);
  ASSERT_TRUE(job.poll());
  EXPECT_EQ(*job.result(), 3);
}

TEST(Jobs, DestroyingAJobCancelsItsWork) {
  auto hub = std::make_shared<JobHub>();
  std::atomic<bool> saw_cancel{false};
  {
    Job<int, int> job;
    Gate g;
    job.start(hub, 1, [&](const JobToken& t) {
      g.entered = true;
      while (!t.cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      saw_cancel = true;
      return 1;
    });
    g.wait_entered();
  }  // joins: returns only because the work saw its flag
  EXPECT_TRUE(saw_cancel);
  EXPECT_EQ(hub->in_flight(), 0);
}

TEST(Jobs, AFinishedResultNotYetPolledIsStillDeliveredAfterANewStart) {
  auto hub = std::make_shared<JobHub>();
  Job<int, int> job;
  job.start(hub, 1, [](const JobToken&) { return 10; });
  ASSERT_TRUE(job.wait(10));  // finished, not polled
  Gate g;
  job.start(hub, 2, [&](const JobToken&) {
    g.entered = true;
    g.wait_open();
    return 20;
  });
  g.wait_entered();
  ASSERT_TRUE(job.poll());  // the owner still learns of result 1 (it is newer than nothing)
  EXPECT_EQ(*job.result(), 10);
  EXPECT_TRUE(job.pending());
  g.open = true;
  ASSERT_TRUE(job.wait(10));
  ASSERT_TRUE(job.poll());
  EXPECT_EQ(*job.result(), 20);
  EXPECT_FALSE(job.start(hub, 2, [](const JobToken&) { return 0; }));
}
