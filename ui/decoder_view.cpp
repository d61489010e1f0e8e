// decoder_view.cpp: the encoder–decoder. A source and a target; the decoder's causal self-attention and its
// cross-attention over the source, in training (teacher forcing: all positions at once) and at inference (one
// token per step, the mask growing). A block diagram of the Transformer whose blocks jump to the step-through.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <optional>
#include <string>

#include "i18n.h"
#include "format.h"
#include "heatmap.h"
#include "teaching.h"
#include "view_settings.h"
#include "text_flow.h"

namespace attn {
namespace {

// A block's stage in list_stages: the nth stage of this kind in this part, in layer 0 (or outside the layers).
struct StageTarget {
  StageKind kind = StageKind::Tokenize;
  const char* part = "";
  int nth = 0;
};

// The index of the target's stage in `stages`, or -1.
int find_stage(const std::vector<Stage>& stages, const StageTarget& s) {
  int seen = 0;
  for (size_t k = 0; k < stages.size(); ++k)
    if (stages[k].kind == s.kind && stages[k].part == s.part && stages[k].layer <= 0 && seen++ == s.nth) return int(k);
  return -1;
}

// The Transformer of Figure 1, drawn with ImDrawList. Returns the clicked block's stage (null when none was clicked).
std::optional<StageTarget> block_diagram(const Trace& t, ImVec2 size) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  // Two columns of boxes, each with room on its left for the green residual curves (1.2·fh wide), so the decoder's
  // curves never cross the encoder's boxes; the blocks stand right under their titles, not at the panel's bottom.
  const float fh = ImGui::GetFontSize(), margin = fh * 1.5f, bw = (size.x - 2 * margin) / 2, bh = fh * 1.7f,
              gap = fh * 0.6f;
  const float height = fh * 2 + 8 * (bh + gap);  // the decoder's 8 blocks; a short panel scrolls
  std::optional<StageTarget> clicked;
  struct Block {
    const char* label;
    StageTarget stage;
    ImU32 colour;
  };
  using K = StageKind;
  const ImU32 att = IM_COL32(255, 214, 153, 255), norm = IM_COL32(240, 240, 170, 255), ffn = IM_COL32(170, 220, 240, 255),
              emb = IM_COL32(220, 200, 240, 255);
  const std::vector<Block> enc = {{_("Input embedding + PE"), {K::Positions, "encoder", 0}, emb},
                                  {_("Multi-head attention"), {K::Q, "encoder", 0}, att},
                                  {_("Add & Norm"), {K::AddNorm1, "encoder", 0}, norm},
                                  {_("Feed forward"), {K::FFN, "encoder", 0}, ffn},
                                  {_("Add & Norm"), {K::AddNorm2, "encoder", 0}, norm}};
  const std::vector<Block> dec = {{_("Output embedding + PE"), {K::DecoderInput, "decoder", 0}, emb},
                                  {_("Masked multi-head attn"), {K::Q, "decoder", 0}, att},  // self-attention's Q
                                  {_("Add & Norm"), {K::AddNorm1, "decoder", 0}, norm},
                                  {_("Cross multi-head attn"), {K::Q, "decoder", 1}, att},   // cross-attention's Q
                                  {_("Add & Norm"), {K::AddNorm2, "decoder", 0}, norm},
                                  {_("Feed forward"), {K::FFN, "decoder", 0}, ffn},
                                  {_("Add & Norm"), {K::AddNorm3, "decoder", 0}, norm},
                                  {_("Linear + softmax"), {K::Logits, "decoder", 0}, emb}};
  auto column = [&](const std::vector<Block>& blocks, float x, const char* title, bool enabled) {
    {  // the title, smaller when wider than its column (the encoder's must end where the decoder's begins)
      const float room = bw + margin - fh * 0.3f, tw = ImGui::CalcTextSize(title).x;
      dl->AddText(ImGui::GetFont(), tw > room ? fh * room / tw : fh, ImVec2(x, o.y), ImGui::GetColorU32(ImGuiCol_Text), title);
    }
    float y = o.y + height - bh - fh;
    ImVec2 prev(-1, -1);
    for (size_t k = 0; k < blocks.size(); ++k) {
      const ImVec2 a(x, y), b(x + bw, y + bh);
      ImGui::SetCursorScreenPos(a);
      ImGui::PushID(int(k) + (x > o.x + 1 ? 100 : 0));
      const bool hit = ImGui::InvisibleButton("block", ImVec2(bw, bh));
      const bool hov = ImGui::IsItemHovered();
      ImGui::PopID();
      dl->AddRectFilled(a, b, blocks[k].colour, 4.0f);
      dl->AddRect(a, b, hov ? IM_COL32(230, 90, 0, 255) : IM_COL32(90, 90, 90, 255), 4.0f, 0, hov ? 2.5f : 1.0f);
      // A label wider than its box (narrow windows) is drawn smaller to fit, never past the box's edges.
      float tw = ImGui::CalcTextSize(blocks[k].label).x, fs = fh;
      const float room = bw - fh * 0.5f;
      if (tw > room) fs = fh * room / tw, tw = room;
      dl->AddText(ImGui::GetFont(), fs, ImVec2(x + (bw - tw) / 2, y + (bh - fs) / 2), IM_COL32(20, 20, 20, 255),
                  blocks[k].label);
      if (prev.x >= 0) dl->AddLine(ImVec2(x + bw / 2, prev.y), ImVec2(x + bw / 2, b.y), IM_COL32(60, 60, 60, 255), 1.5f);
      if (std::string(blocks[k].label) == _("Add & Norm"))  // residual path around the sublayer below
        dl->AddBezierCubic(ImVec2(x, y + bh + gap + bh * 0.5f + bh + gap), ImVec2(x - fh * 1.2f, y + bh * 2),
                           ImVec2(x - fh * 1.2f, y + bh * 0.5f), ImVec2(x, y + bh * 0.5f), IM_COL32(60, 140, 60, 255), 1.5f);
      const bool residual = std::string(blocks[k].label) == _("Add & Norm");
      if (hov) ImGui::SetTooltip("%s%s%s", enabled ? _("click: open this stage in the step-through") : _("add a target to run the decoder"),
                                 residual ? "\n" : "", residual ? _("green: the residual path x + Sublayer(x)") : "");

      if (hit && enabled) clicked = blocks[k].stage;
      prev = ImVec2(x, y);
      y -= bh + gap;
    }
  };
  column(enc, o.x + margin, _("Encoder (× N)"), true);
  column(dec, o.x + 2 * margin + bw, _("Decoder (× N)"), t.decoder.has_value());
  // Cross-attention reads the encoder's output.
  ImGui::SetCursorScreenPos(o);
  ImGui::Dummy(ImVec2(size.x, height));
  return clicked;
}

}  // namespace

bool draw_decoder_view(const Views& v, Document& doc, UiState& ui) {
  bool edited = false;
  const Trace& t = *v.trace;
  Settings& s = doc.settings;
  const float fh = ImGui::GetFontSize();
  text_wrapped(
      "%s", _("The decoder writes the output one token at a time. Its self-attention is causal (position i sees only ≤ i), and "
              "its cross-attention lets every output position query the encoder's output for the source sentence. In training "
              "all target positions run at once (teacher forcing: the true previous tokens are fed in, the causal mask hides "
              "the future); at inference each new token needs a full pass, so decoding is serial."));
  // A trained encoder–decoder writes its answer from "<s>" alone: nothing to type, every step is the model's.
  const bool trained = t.model && t.model->trained() && t.decoder && !t.steps.empty();
  if (trained) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.2f, 0.3f, 0.45f, 1));
    text_wrapped("%s", _("This trained model writes its answer itself, one symbol per greedy step, starting from <s>. "
                               "Pick a step: its cross-attention shows which input symbol it reads to write the next one."));
    ImGui::PopStyleColor();
  } else if (!s.target) {
    if (ImGui::Button(_("Add a target sentence (starts the decoder)"))) {
      s.target = "Das Tier überquerte die Straße nicht";
      s.decode_steps = 4;
      edited = true;
    }
  } else {
    ImGui::SetNextItemWidth(fh * 20);
    if (ImGui::InputText(stable_label(_("target (decoder input)"), "target").c_str(), &*s.target)) edited = true;
    ImGui::SameLine();
    ImGui::SetNextItemWidth(fh * 6);
    edited |= setting_slider(setting("decode_steps"), s, ui, _("greedy steps"), 0, 16);
    explain(ui, _("Greedy decoding: at each step the most likely next token (over the source's words and </s>) is appended."));
    ImGui::SameLine();
    if (ImGui::Button(_("remove the decoder"))) s.target.reset(), s.decode_steps = 0, edited = true;
  }
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  // Wide: the diagram beside the decoder's steps; narrow (a projector's scale): above them, and the view scrolls.
  const bool wide = avail.x >= fh * 40;
  const float diag_w = wide ? std::min(avail.x * 0.32f, fh * 24) : std::min(avail.x, fh * 24);
  if (const std::optional<StageTarget> jump = block_diagram(t, ImVec2(diag_w, avail.y))) {
    const int k = find_stage(list_stages(t), *jump);
    if (k >= 0) {
      ui.step = k;
      ui.view = View::Steps;
      ui.view_requested = true;
    }
  }
  if (wide) ImGui::SameLine();
  ImGui::BeginGroup();
  if (!t.decoder) {
    text_wrapped_str(_("No decoder yet: add a target sentence above."), true);
    ImGui::EndGroup();
    return edited;
  }
  // Step 0 = teacher forcing (all target positions at once); step k ≥ 1 = inference step k.
  const int steps = int(t.steps.size());
  if (trained && ui.decode_step == 0) ui.decode_step = steps;  // teacher forcing over "<s>" alone shows nothing
  ui.decode_step = std::clamp(ui.decode_step, trained ? 1 : 0, steps);
  if (!trained && ImGui::RadioButton(_("training: teacher forcing, all positions at once"), ui.decode_step == 0))
    ui.decode_step = 0;
  for (int k = 1; k <= steps; ++k) {
    if (k > 1 || !trained) ImGui::SameLine();
    ImGui::PushID(k);
    if (ImGui::RadioButton(printf_text(_("step %d"), k).c_str(), ui.decode_step == k)) ui.decode_step = k;
    ImGui::PopID();
  }
  const DecoderTrace& d = ui.decode_step == 0 ? *t.decoder : t.steps[size_t(ui.decode_step - 1)].trace;
  std::string generated;
  for (int k = 0; k < steps; ++k) generated += (k < ui.decode_step ? "[" + t.steps[size_t(k)].token + "] " : "[ ? ] ");
  ImGui::Text(_("decoder input: %d tokens · generated: %s"), int(d.tokens.size()), generated.c_str());
  if (ui.decode_step > 0)
    ImGui::TextColored(ImVec4(0.8f, 0.35f, 0, 1), _("step %d: one full decoder pass over %d tokens to choose \"%s\""),
                       ui.decode_step, int(d.tokens.size()), t.steps[size_t(ui.decode_step - 1)].token.c_str());
  if (d.layers.empty()) {
    ImGui::TextDisabled("%s", _("0 layers."));
    ImGui::EndGroup();
    return edited;
  }
  // Counts from the trace drawn, never from the settings being edited (a refused edit leaves the old trace).
  const int l = std::clamp(ui.layer, 0, int(d.layers.size()) - 1);
  const int heads = int(std::min(d.layers[size_t(l)].self_attn.heads.size(), d.layers[size_t(l)].cross_attn.heads.size()));
  if (heads == 0) {
    ImGui::EndGroup();
    return edited;
  }
  const int h = std::clamp(ui.head, 0, heads - 1);
  const ImVec2 rest = ImGui::GetContentRegionAvail();
  const float w2 = (rest.x - ImGui::GetStyle().ItemSpacing.x) / 2;
  const HeadTrace& self = d.layers[size_t(l)].self_attn.heads[size_t(h)];
  const HeadTrace& cross = d.layers[size_t(l)].cross_attn.heads[size_t(h)];
  HeatmapSpec a;
  a.m = &self.weights;
  a.blocked = &d.self_mask;
  a.row_labels = a.col_labels = &d.tokens;
  a.cmap = ui.weights_cmap;
  a.lo = 0, a.hi = 1;
  a.version = ui.version;
  a.detail = ui.decode_step;
  const std::string ta = printf_text(_("causal self-attention, decoder layer %d, head %d"), l, h);
  a.title = ta.c_str();
  draw_heatmap("dec_self", a, ImVec2(w2, rest.y), ui.textures, [&](int i, int j) {
    ImGui::Text("\"%s\" → \"%s\": %s%s", d.tokens[size_t(i)].c_str(), d.tokens[size_t(j)].c_str(), fmt_value(self.weights(i, j)).c_str(),
                j > i ? _(" (future: blocked)") : "");
  });
  ImGui::SameLine();
  HeatmapSpec b = a;
  b.m = &cross.weights;
  b.blocked = &d.cross_mask;
  b.col_labels = &t.tokens;
  b.col_axis = _("source key");
  b.row_axis = _("target query");
  const std::string tb = _("cross-attention over the source (same layer and head)");
  b.title = tb.c_str();
  draw_heatmap("dec_cross", b, ImVec2(w2, rest.y), ui.textures, [&](int i, int j) {
    ImGui::Text(_("target \"%s\" → source \"%s\": %s"),
 d.tokens[size_t(i)].c_str(), t.tokens[size_t(j)].c_str(),
                fmt_value(cross.weights(i, j)).c_str());
  });
  ImGui::EndGroup();
  return edited;
}

}  // namespace attn
