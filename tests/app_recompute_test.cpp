// Heavy recomputes leave the UI thread alone: app_before_frame hands the mid model to a worker and returns with the
// previous trace still in place; the next frame after the worker finishes swaps the new trace in.
#include <gtest/gtest.h>

#include <chrono>

#include "app_state.h"

using namespace attn;

namespace {

// The mid model (d_model 256, 8 heads, 4 layers, d_ff 1024) on a 120-token text: a recompute heavy enough for a worker.
std::string mid_model(AppState& s) {
  s.doc.settings.d_model = 256;
  s.doc.settings.heads = 8;
  s.doc.settings.layers = 4;
  s.doc.settings.d_ff = 1024;
  s.doc.settings.max_tokens = 128;
  std::string text;
  for (int i = 0; i < 120; ++i) text += "word" + std::to_string(i % 17) + " ";
  s.doc.text = text;
  return text;
}

}  // namespace

TEST(Recompute, MidModelRunsOffTheUiThreadAndKeepsThePreviousTrace) {
  AppState s;  // interactive: no script, no screenshot, no frame limit
  const std::string text = mid_model(s);
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
  const std::string text = mid_model(s);
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

// The memory cap counts every trace the app holds: with a head switched off the app keeps a second, all-heads trace
// (the intervention's baseline), so sizes whose one trace fits but whose two do not are refused with the numbers.
TEST(Recompute, TheCapCountsTheInterventionsBaselineTrace) {
  Document doc;
  Settings& s = doc.settings;
  s.d_model = 64, s.heads = 64, s.layers = 1, s.d_ff = 64, s.max_tokens = 1024;
  const SizeEstimate z = estimate_size(s, s.max_tokens);
  ASSERT_LE(z.bytes(), kMaxModelBytes) << "one trace must fit for this test";
  ASSERT_GT(4 * (z.weight_floats + 2 * z.trace_floats), kMaxModelBytes) << "two traces must not";
  ASSERT_EQ(validate(s), "");
  s.head_enabled.assign(64, 1);
  s.head_enabled[3] = 0;
  TraceSet set;
  const std::string e = compute_traces(doc, set);
  EXPECT_NE(e.find("2 traces"), std::string::npos) << e;
  EXPECT_NE(e.find("MB this app allows"), std::string::npos) << e;
  EXPECT_FALSE(set.has_trace);  // refused before anything was allocated
}
