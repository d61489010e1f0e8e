#include "layout_check.h"

#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>

#include "utf8.h"

namespace attn {
namespace {

struct GlyphUv {
  const ImFontGlyph* g;
  float font_size;
};

// A drawn glyph. "Along" and "across" are the text line's own axes: for text rotated to read bottom to top
// (heatmap column labels) along is −y and across is x.
struct Quad {
  float x0, y0, x1, y1;  // screen box
  unsigned codepoint;
  bool cut = false;      // ImGui clipped it on the CPU (its UVs are part of the glyph's)
  bool rotated = false;
  float pen = 0;         // the pen position along the line where the glyph starts (ImFont::RenderText's x)
  float advance = 0;     // how far the pen moves after it
  float line = 0;        // the line's top across (RenderText's y)
  float size = 0;        // the font size it was drawn at
  int list = 0, cmd = 0, seq = 0;  // where it was drawn; seq: its order among the glyph quads of its command
  int run = -1;
};

float overlap_x(const Quad& a, const Quad& b) { return std::min(a.x1, b.x1) - std::max(a.x0, b.x0); }
float overlap_y(const Quad& a, const Quad& b) { return std::min(a.y1, b.y1) - std::max(a.y0, b.y0); }

// Recovers the pen position, line and size a glyph quad was drawn with, from the glyph's box (X0…Y1 at the font's
// size) and the part of its texture the quad shows.
void locate(Quad& q, const GlyphUv& gu, float u0, float v0, float u1, float v1) {
  const ImFontGlyph& g = *gu.g;
  const float fu0 = (u0 - g.U0) / (g.U1 - g.U0), fu1 = (u1 - g.U0) / (g.U1 - g.U0);  // the shown part, 0…1
  const float fv0 = (v0 - g.V0) / (g.V1 - g.V0), fv1 = (v1 - g.V0) / (g.V1 - g.V0);
  const float gw = (g.X1 - g.X0) * (fu1 - fu0), gh = (g.Y1 - g.Y0) * (fv1 - fv0);  // shown part, at the font's size
  const float w = q.x1 - q.x0, h = q.y1 - q.y0;
  // Upright: w/gw = h/gh; rotated: h/gw = w/gh. The orientation whose two scales agree better.
  const float up = std::fabs(w * gh - h * gw), rot = std::fabs(h * gh - w * gw);
  q.rotated = rot + 0.01f < up;
  const float s = q.rotated ? (gw > 0 ? h / gw : 1) : (gw > 0 ? w / gw : 1);
  const float along0 = q.rotated ? -q.y1 : q.x0, across0 = q.rotated ? q.x0 : q.y0;
  q.pen = along0 - (g.X0 + fu0 * (g.X1 - g.X0)) * s;
  q.line = across0 - (g.Y0 + fv0 * (g.Y1 - g.Y0)) * s;
  q.advance = g.AdvanceX * s;
  q.size = gu.font_size * s;
}

// Consecutive glyphs of one command belong to one run when they sit on one line, each after the one before, at most
// a few spaces apart (the words of a label stay together; two labels drawn at one place are two runs).
bool continues_run(const Quad& a, const Quad& b) {
  if (a.list != b.list || a.cmd != b.cmd || b.seq != a.seq + 1 || a.rotated != b.rotated) return false;
  if (std::fabs(a.line - b.line) > 0.5f || std::fabs(a.size - b.size) > 0.5f) return false;
  const float gap = b.pen - (a.pen + a.advance);
  return gap > -0.5f && gap <= 1.2f * a.size;
}

std::string run_text(const std::vector<Quad>& q, const std::vector<int>& members) {
  std::string s;
  for (size_t k = 0; k < members.size(); ++k) {
    const Quad& g = q[size_t(members[k])];
    if (k > 0) {
      const Quad& p = q[size_t(members[k - 1])];
      if (g.pen - (p.pen + p.advance) > 0.1f * g.size) s += ' ';  // a space advanced the pen (it has no quad)
    }
    append_utf8(s, char32_t(g.codepoint));
  }
  return untrusted_text(s, 80);
}

std::string fmt_px(float v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.0f", std::ceil(v));
  return b;
}

}  // namespace

std::vector<std::string> check_layout(const std::vector<LayoutList>& lists, const ImFontAtlas& atlas) {
  // The glyph table, by the top-left corner of each glyph's texture rectangle (exact: ImGui copies these floats).
  std::vector<GlyphUv> glyphs;
  std::map<std::pair<float, float>, size_t> by_corner;
  for (const ImFont* f : atlas.Fonts)
    for (const ImFontGlyph& g : f->Glyphs)
      if (g.Visible && g.U1 > g.U0 && g.V1 > g.V0 && g.X1 > g.X0 && g.Y1 > g.Y0) {
        by_corner.emplace(std::make_pair(g.U0, g.V0), glyphs.size());
        glyphs.push_back({&g, f->FontSize});
      }
  const ImTextureID tex = atlas.TexID;

  std::vector<Quad> quads;
  std::vector<std::string> found;
  for (size_t li = 0; li < lists.size(); ++li) {
    const ImDrawList& dl = *lists[li].list;
    for (int ci = 0; ci < dl.CmdBuffer.Size; ++ci) {
      const ImDrawCmd& cmd = dl.CmdBuffer[ci];
      if (cmd.UserCallback || cmd.TextureId != tex) continue;
      int seq = 0;
      const unsigned end = cmd.IdxOffset + cmd.ElemCount;
      for (unsigned p = cmd.IdxOffset; p + 3 <= end;) {
        // A textured rectangle is written as (a, a+1, a+2, a, a+2, a+3) (ImDrawList::PrimRectUV, ImFont::RenderText).
        const ImDrawIdx* ix = &dl.IdxBuffer[int(p)];
        const bool rect = p + 6 <= end && ix[1] == ix[0] + 1 && ix[2] == ix[0] + 2 && ix[3] == ix[0] && ix[4] == ix[0] + 2 &&
                          ix[5] == ix[0] + 3;
        if (!rect) {
          p += 3;
          continue;
        }
        p += 6;
        const ImDrawVert* v = &dl.VtxBuffer[int(cmd.VtxOffset + ix[0])];
        float x0 = v[0].pos.x, x1 = x0, y0 = v[0].pos.y, y1 = y0, u0 = v[0].uv.x, u1 = u0, v0 = v[0].uv.y, v1 = v0;
        for (int k = 1; k < 4; ++k) {
          x0 = std::min(x0, v[k].pos.x), x1 = std::max(x1, v[k].pos.x), y0 = std::min(y0, v[k].pos.y), y1 = std::max(y1, v[k].pos.y);
          u0 = std::min(u0, v[k].uv.x), u1 = std::max(u1, v[k].uv.x), v0 = std::min(v0, v[k].uv.y), v1 = std::max(v1, v[k].uv.y);
        }
        if (!(u1 > u0 && v1 > v0)) continue;  // the white pixel: a filled shape
        const GlyphUv* g = nullptr;
        bool cut = false;
        if (auto it = by_corner.find({u0, v0}); it != by_corner.end() && glyphs[it->second].g->U1 == u1 && glyphs[it->second].g->V1 == v1) {
          g = &glyphs[it->second];
        } else {  // a glyph ImGui cut to a clip rectangle, or not a glyph (the baked lines)
          for (const GlyphUv& c : glyphs)
            if (u0 >= c.g->U0 && u1 <= c.g->U1 && v0 >= c.g->V0 && v1 <= c.g->V1) {
              g = &c;
              cut = true;
              break;
            }
        }
        if (!g) continue;
        Quad q{x0, y0, x1, y1, unsigned(g->g->Codepoint)};
        q.cut = cut, q.list = int(li), q.cmd = ci, q.seq = seq++;
        locate(q, *g, u0, v0, u1, v1);
        quads.push_back(q);
      }
    }
  }

  // Runs.
  std::vector<std::vector<int>> runs;
  for (size_t i = 0; i < quads.size(); ++i) {
    if (i == 0 || !continues_run(quads[i - 1], quads[i])) runs.emplace_back();
    runs.back().push_back(int(i));
    quads[i].run = int(runs.size()) - 1;
  }
  std::vector<std::string> texts(runs.size());
  for (size_t r = 0; r < runs.size(); ++r) texts[r] = run_text(quads, runs[r]);

  // Clipped text: the worst glyph of each run, against its command's clip rectangle.
  for (size_t r = 0; r < runs.size(); ++r) {
    const LayoutList& L = lists[size_t(quads[size_t(runs[r][0])].list)];
    if (L.text_box) continue;
    float worst = 0;
    const char* edge = nullptr;
    bool cut = false;
    for (int i : runs[r]) {
      const Quad& q = quads[size_t(i)];
      const ImVec4 c = L.list->CmdBuffer[q.cmd].ClipRect;
      if (c.z - c.x < 0.5f || c.w - c.y < 0.5f) continue;  // an empty clip rectangle: nothing of it is drawn
      // Wholly past an edge the window scrolls across: reachable by scrolling, not cut (a heatmap below the fold).
      if (L.scrolls_y && (q.y0 >= L.clip.w - 0.5f || q.y1 <= L.clip.y + 0.5f)) continue;
      if (L.scrolls_x && (q.x0 >= L.clip.z - 0.5f || q.x1 <= L.clip.x + 0.5f)) continue;
      // An edge of the window's own clip rectangle that scrolls: what is past it is reachable.
      auto scrolled = [&](float cmd_edge, float win_edge, bool scrolls) { return scrolls && std::fabs(cmd_edge - win_edge) <= 1; };
      const struct {
        float by;
        const char* name;
        bool ok;
      } e[] = {{q.x1 - c.z, "right", scrolled(c.z, L.clip.z, L.scrolls_x)}, {c.x - q.x0, "left", scrolled(c.x, L.clip.x, L.scrolls_x)},
               {q.y1 - c.w, "bottom", scrolled(c.w, L.clip.w, L.scrolls_y)}, {c.y - q.y0, "top", scrolled(c.y, L.clip.y, L.scrolls_y)}};
      // A glyph laid out within the right edge (its pen ends there) whose box overhangs it by at most a pixel: that is
      // the anti-aliased fringe of a letter such as "r" at the end of a wrapped line, not text cut off.
      // Likewise a glyph whose pen starts within the left edge and whose left bearing reaches past it by at most 2 px
      // (the hook of a "j" starting a line).
      const bool fringe_r = !q.rotated && q.pen + q.advance <= c.z + 0.5f && q.x1 - c.z <= 1.5f;
      const bool fringe_l = !q.rotated && q.pen >= c.x - 0.5f && c.x - q.x0 <= 2.5f;
      for (const auto& x : e)
        if (x.by > 0.5f && !x.ok && !(fringe_r && x.name[0] == 'r') && !(fringe_l && x.name[0] == 'l') && x.by > worst)
          worst = x.by, edge = x.name;
      if (q.cut && !edge) cut = true;
    }
    if (edge) found.push_back("clipped at the " + std::string(edge) + " edge by " + fmt_px(worst) + " px: \"" + texts[r] +
                              "\" (window " + L.window + ")");
    else if (cut) found.push_back("cut to fit its frame: \"" + texts[r] + "\" (window " + L.window + ")");
  }

  // Overlaps between runs, found through a grid of cells so a frame of thousands of glyphs stays fast.
  const float cell = 48;
  std::unordered_map<long long, std::vector<int>> grid;
  auto key = [](long long gx, long long gy) { return gx * 1000003LL + gy; };
  for (size_t i = 0; i < quads.size(); ++i) {
    const Quad& q = quads[i];
    for (long long gx = (long long)std::floor(q.x0 / cell); gx <= (long long)std::floor(q.x1 / cell); ++gx)
      for (long long gy = (long long)std::floor(q.y0 / cell); gy <= (long long)std::floor(q.y1 / cell); ++gy)
        grid[key(gx, gy)].push_back(int(i));
  }
  std::set<std::pair<int, int>> pairs;
  for (const auto& kv : grid) {
    const std::vector<int>& in = kv.second;
    for (size_t a = 0; a < in.size(); ++a)
      for (size_t b = a + 1; b < in.size(); ++b) {
        const Quad& p = quads[size_t(in[a])];
        const Quad& q = quads[size_t(in[b])];
        if (p.run == q.run || overlap_x(p, q) <= 1 || overlap_y(p, q) <= 1) continue;
        // Text under the edge of a window drawn over it is hidden, not overlapping: compare only what is visible.
        const ImVec4 cp = lists[size_t(p.list)].list->CmdBuffer[p.cmd].ClipRect, cq = lists[size_t(q.list)].list->CmdBuffer[q.cmd].ClipRect;
        const float vx = std::min({p.x1, q.x1, cp.z, cq.z}) - std::max({p.x0, q.x0, cp.x, cq.x});
        const float vy = std::min({p.y1, q.y1, cp.w, cq.w}) - std::max({p.y0, q.y0, cp.y, cq.y});
        if (vx <= 1 || vy <= 1) continue;
        pairs.insert({std::min(p.run, q.run), std::max(p.run, q.run)});
      }
  }
  for (const auto& pr : pairs) {
    const std::string& wa = lists[size_t(quads[size_t(runs[size_t(pr.first)][0])].list)].window;
    const std::string& wb = lists[size_t(quads[size_t(runs[size_t(pr.second)][0])].list)].window;
    found.push_back("overlap: \"" + texts[size_t(pr.first)] + "\" and \"" + texts[size_t(pr.second)] + "\" (window " + wa +
                    (wa == wb ? "" : " and " + wb) + ")");
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

std::vector<LayoutList> frame_layout_lists() {
  std::vector<LayoutList> out;
  const ImDrawData* dd = ImGui::GetDrawData();
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  if (!dd) return out;
  for (int i = 0; i < dd->CmdListsCount; ++i) {
    LayoutList L;
    L.list = dd->CmdLists[i];
    L.window = "(overlay)";
    L.clip = ImVec4(-1e9f, -1e9f, 1e9f, 1e9f);
    for (const ImGuiWindow* w : g.Windows)
      if (w->DrawList == L.list) {
        L.window = w->Name;
        L.clip = ImVec4(w->InnerClipRect.Min.x, w->InnerClipRect.Min.y, w->InnerClipRect.Max.x, w->InnerClipRect.Max.y);
        // Down: the wheel scrolls any window whose content is taller. Across: only a visible scrollbar tells a user
        // there is more (Shift+wheel is not something a class finds).
        L.scrolls_x = w->ScrollbarX;
        // (Or its content reaches past the bottom in this very frame: a job's result just arrived, and the scroll range,
        // measured from the frame before, catches up on the next frame.)
        L.scrolls_y = (w->ScrollMax.y > 0 || w->DC.CursorMaxPos.y > w->InnerClipRect.Max.y + 1) &&
                      !(w->Flags & ImGuiWindowFlags_NoScrollWithMouse);
        // A child window named by a hidden label ("Controls/##text_1A2B3C4D") is a multi-line text box: nothing else
        // in ui/ opens a child window that way.
        // A child window cut by an ancestor that scrolls (a table below the fold): what is cut is reachable too.
        for (const ImGuiWindow* a = w->ParentWindow; a && (w->Flags & ImGuiWindowFlags_ChildWindow); a = a->ParentWindow) {
          const bool a_scrolls = (a->ScrollMax.y > 0 || a->DC.CursorMaxPos.y > a->InnerClipRect.Max.y + 1) &&
                                 !(a->Flags & ImGuiWindowFlags_NoScrollWithMouse);
          if (a_scrolls && (std::fabs(a->InnerClipRect.Max.y - L.clip.w) <= 1 || std::fabs(a->InnerClipRect.Min.y - L.clip.y) <= 1))
            L.scrolls_y = true;
          if (a->ScrollbarX && (std::fabs(a->InnerClipRect.Max.x - L.clip.z) <= 1 || std::fabs(a->InnerClipRect.Min.x - L.clip.x) <= 1))
            L.scrolls_x = true;
          if (!(a->Flags & ImGuiWindowFlags_ChildWindow)) break;
        }
        const std::string name = w->Name;
        const size_t slash = name.rfind('/');
        L.text_box = (w->Flags & ImGuiWindowFlags_ChildWindow) && slash != std::string::npos && name.compare(slash + 1, 2, "##") == 0;
        break;
      }
    out.push_back(L);
  }
  return out;
}

}  // namespace attn
