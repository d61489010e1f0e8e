// gallery.h: the Head gallery's derived data (gallery_view.cpp computes it in a job, never on the UI thread) and
// what the last frame drew.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "head_scores.h"
#include "jobs.h"

namespace attn {

constexpr int kThumbCells = 128;  // a thumbnail holds at most 128 × 128 cells: longer traces are max-pooled

struct GalleryData {  // key: the trace version
  HeadScores scores;
  std::vector<Mat> thumbs;   // layers · heads, layer-major: each head's weights, max-pooled to ≤ kThumbCells a side
  BoolMat thumb_mask;        // a pooled cell is blocked when every cell of its block is
  std::vector<float> hi;     // each thumbnail's largest visible weight (its colour range is [0, hi])
  int pool = 1;              // cells per thumbnail cell, per side
  std::shared_ptr<const Trace> probe;  // the induction probe's trace (null when there is none)
  // The induction probe's note, worded on the UI thread (in the UI's language): its length and where its words came
  // from, or why there is none (probe_text refused: no induction score; or its trace could not be built).
  int probe_length = 0;
  std::string probe_words, probe_error;
  bool probe_refused = false;

};

struct GalleryTile {  // one thumbnail as drawn in the last frame (screen pixels), in gallery order
  int layer = 0, head = 0;
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

struct GalleryState {
  Job<uint64_t, GalleryData> job;
  std::shared_ptr<Trace> copies[2];  // the weights the jobs read: two buffers, reused once no job holds them
  std::vector<GalleryTile> tiles;  // the last frame's tiles (tests click them; nothing else reads them)
  int shown = 0, total = 0;        // heads passing the filter, heads in all
};

}  // namespace attn
