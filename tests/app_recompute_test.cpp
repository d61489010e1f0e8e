// Heavy recomputes leave the UI thread alone: app_before_frame hands the mid model to a worker and returns with the
// previous trace still in place; the next frame after the worker finishes swaps the new trace in.
#include <gtest/gtest.h>

#include <chrono>

#include "app_state.h"

using namespace attn;

TEST(Recompute, MidModelRunsOffTheUiThreadAndKeepsThePreviousTrace) {
  AppState s;  // interactive: no script, no screenshot, no frame limit
  s.doc.settings.d_model = 256;
  s.doc.settings.heads = 8;
  s.doc.settings.layers = 4;
  s.doc.settings.d_ff = 1024;
  s.doc.settings.max_tokens = 128;
  std::string text;
  for (int i = 0; i < 120; ++i) text += "word" + std::to_string(i % 17) + " ";
  s.doc.text = text;
  recompute(s);  // the first trace, on this thread
  ASSERT_TRUE(s.traces.has_trace);
  ASSERT_EQ(s.traces.trace.n(), 120);
  ASSERT_GT(trace_cost(s.doc.settings, 121), kBackgroundCost);

  s.doc.text = "a short sentence now";
  s.dirty = true;
  app_before_frame(s);
  EXPECT_TRUE(s.background.pending());          // handed to a worker…
  EXPECT_EQ(s.traces.trace.n(), 120);          // …and the previous trace is still what the views read
  ASSERT_TRUE(s.background.wait(120));
  app_before_frame(s);                         // the next frame picks the result up
  EXPECT_FALSE(s.background.pending());
  EXPECT_EQ(s.error, "");
  EXPECT_EQ(s.traces.trace.n(), 4);

  // The teaching model is cheap: it is recomputed in the frame, never queued.
  s.doc.settings = Settings{};
  s.dirty = true;
  app_before_frame(s);
  EXPECT_FALSE(s.background.pending());
  EXPECT_EQ(s.traces.trace.settings.d_model, 64);
}

// An edit while a heavy recompute runs starts another (the stale one is cancelled); the views get the newest.
TEST(Recompute, AnEditDuringABackgroundRunEndsWithTheNewestDocument) {
  AppState s;
  s.doc.settings.d_model = 256;
  s.doc.settings.heads = 8;
  s.doc.settings.layers = 4;
  s.doc.settings.d_ff = 1024;
  s.doc.settings.max_tokens = 128;
  std::string text;
  for (int i = 0; i < 120; ++i) text += "word" + std::to_string(i % 17) + " ";
  s.doc.text = text;
  recompute(s);
  ASSERT_EQ(s.traces.trace.n(), 120);
  s.doc.text = text + "one more";
  s.dirty = true;
  app_before_frame(s);
  ASSERT_TRUE(s.background.pending());
  s.doc.text = "the second edit is longer";
  s.dirty = true;
  app_before_frame(s);  // the first run is stale now
  EXPECT_TRUE(s.background.pending());
  ASSERT_TRUE(s.background.wait(120));
  app_before_frame(s);
  EXPECT_FALSE(s.background.pending());
  EXPECT_EQ(s.error, "");
  EXPECT_EQ(s.traces.trace.n(), 5);
}
