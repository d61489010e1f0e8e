#include "window.h"

#include <glad/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "app_state.h"
#include "fonts.h"
#include "i18n.h"
#include "explorer.h"
#include "format.h"
#include "image.h"
#include "layout_check.h"
#include "monkey.h"
#include "presenter.h"
#include "tokenizer.h"
#include "utf8.h"

namespace attn {

std::string save_framebuffer_png(int width, int height, const std::string& path) {
  Image img(width, height);
  std::vector<uint8_t> rows(size_t(width) * size_t(height) * 3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, rows.data());
  for (int y = 0; y < height; ++y)  // GL's first row is the bottom one
    std::copy_n(&rows[size_t(height - 1 - y) * size_t(width) * 3], size_t(width) * 3, &img.rgb[size_t(y) * size_t(width) * 3]);
  return write_png(img, path);
}

namespace {

void glfw_error(int code, const char* msg) { std::fprintf(stderr, "attention-lab: GLFW error %d: %s\n", code, msg); }

// Input callbacks installed before ImGui's (which chain to them): any event keeps the app drawing a few frames;
// otherwise it sleeps in glfwWaitEventsTimeout instead of redrawing an unchanged screen.
int g_busy_frames = 3;  // file-level state (with g_dropped): GLFW's C callbacks cannot carry a pointer per event type
void mark_busy() { g_busy_frames = 3; }
void on_cursor(GLFWwindow*, double, double) { mark_busy(); }
void on_button(GLFWwindow*, int, int, int) { mark_busy(); }
void on_scroll(GLFWwindow*, double, double) { mark_busy(); }
void on_key(GLFWwindow*, int, int, int, int) { mark_busy(); }
void on_char(GLFWwindow*, unsigned) { mark_busy(); }
void on_size(GLFWwindow*, int, int) { mark_busy(); }
// Files and folders dropped on the window, until the app takes them (GLFW calls this on the main thread).
std::vector<std::string> g_dropped;
void on_drop(GLFWwindow*, int count, const char** paths) {
  for (int i = 0; i < count; ++i) g_dropped.emplace_back(paths[i]);
  mark_busy();
}

// Clipboard text is outside bytes like any paste: made valid UTF-8 before ImGui's text boxes see it. Wraps the
// backend's clipboard functions (which keep their own user data).
struct ClipboardGuard {
  const char* (*get)(void*) = nullptr;
  void (*set)(void*, const char*) = nullptr;
  void* user = nullptr;
  std::string text;
};
const char* guarded_clipboard_get(void* p) {
  auto* g = static_cast<ClipboardGuard*>(p);
  const char* raw = g->get ? g->get(g->user) : nullptr;
  if (!raw) return nullptr;
  g->text = valid_utf8(raw);
  return g->text.c_str();
}
void guarded_clipboard_set(void* p, const char* text) {
  auto* g = static_cast<ClipboardGuard*>(p);
  if (g->set) g->set(g->user, text);
}

// The font atlas: Noto Sans CJK (Latin + Chinese) with the glyphs we draw, at the UI scale, then the fonts of other
// scripts merged in for the characters it lacks. A new character typed later needs a new atlas: rasterising takes
// 0.2–0.3 s, so that atlas is built by a job (make_atlas touches no ImGui context) and swapped in between frames;
// until then the character shows as '?'. Only a change of UI scale rebuilds on the UI thread (the style changes too).
struct FontFiles {
  FontFile file;
  std::string fallback;             // DejaVu Sans, merged for symbols
  std::vector<ScriptFont> scripts;  // Hebrew, Arabic, Devanagari, Symbola: merged for what the fonts before lack
};

// A built atlas, with what its fonts keep pointers to.
struct AtlasBuild {
  ImFontAtlas* atlas = nullptr;  // IM_NEW; owned by whoever holds the build, then by the ImGui context
  std::set<ImWchar> extra;       // code points of the user's text beyond the prebuilt ranges
  std::shared_ptr<ImVector<ImWchar>> ranges = std::make_shared<ImVector<ImWchar>>();
  bool main_font = false;        // the CJK font loaded (else ImGui's built-in font)
  double ms = 0;
  AtlasBuild() = default;
  AtlasBuild(AtlasBuild&& o) noexcept { *this = std::move(o); }
  AtlasBuild& operator=(AtlasBuild&& o) noexcept {
    std::swap(atlas, o.atlas), std::swap(extra, o.extra), std::swap(ranges, o.ranges);
    main_font = o.main_font, ms = o.ms;
    return *this;
  }
  ~AtlasBuild() { if (atlas) IM_DELETE(atlas); }
};

struct FontState {
  FontFiles files;
  std::set<ImWchar> extra;  // the installed atlas's extra code points
  std::shared_ptr<ImVector<ImWchar>> ranges;
  float scale = 0;
  bool high_contrast = false;  // the theme built with it (presenter mode's)
  double build_ms = 0;      // the last atlas build (fonts, rasterising)
  Job<std::pair<float, std::set<ImWchar>>, AtlasBuild> job;  // a bigger atlas being built for newly typed glyphs
};

// Builds an atlas holding `extra` plus the code points of `text`, rasterised (RGBA) and ready to upload. Touches no
// ImGui context: safe on a worker thread.
AtlasBuild make_atlas(const FontFiles& ff, float scale, std::set<ImWchar> extra, const std::string& text) {
  const auto t0 = std::chrono::steady_clock::now();
  AtlasBuild out;
  out.atlas = IM_NEW(ImFontAtlas)();
  ImFontAtlas& fonts = *out.atlas;
  const float px = std::round(17.0f * scale);
  bool main_font = !ff.file.path.empty();
  if (main_font) {
    ImFontGlyphRangesBuilder b;
    b.AddRanges(fonts.GetGlyphRangesDefault());
    static const ImWchar kSymbols[] = {0x0370, 0x03FF,  // Greek (τ, Σ, δ)
                                       0x1D00, 0x1DBF,  // phonetic extensions (ᵀ)
                                       0x2000, 0x206F,  // punctuation (–, —, …, ·)
                                       0x2070, 0x209F,  // super/subscripts
                                       0x2190, 0x21FF,  // arrows
                                       0x2200, 0x22FF,  // mathematical operators (√, ⊙, ≤)
                                       0x2423, 0x2423,  // ␣, a BPE token's space (core/bpe.h labels)
                                       0x2500, 0x25FF,  // box drawing, geometric shapes (▶ ◀)
                                       0x3000, 0x303F,  // CJK punctuation
                                       0xFF00, 0xFFEF,  // full-width forms
                                       0xFFFD, 0xFFFD, 0};
    b.AddRanges(kSymbols);
    // Only the glyphs we draw: the UI's own text, the presets, and the user's text, so the 3,000-glyph Chinese range
    // is not built at start-up.
    for (char32_t cp : decode_utf8(preset_text() + catalogue_text() + text))  // + the translation in use
      if (cp <= 0xFFFF) extra.insert(ImWchar(cp));
    for (ImWchar c : extra) b.AddChar(c);
    b.BuildRanges(out.ranges.get());
    ImFontConfig cfg;
    cfg.FontNo = ff.file.index;
    cfg.OversampleH = 1;  // CJK atlases are large: no horizontal oversampling
    cfg.PixelSnapH = true;
    if (!fonts.AddFontFromFileTTF(ff.file.path.c_str(), px, &cfg, out.ranges->Data)) {
      main_font = false;
    } else {
      if (!ff.fallback.empty()) {
        // Symbols the CJK font lacks (ᵀ, ⊙, …) come from DejaVu Sans, merged into the same font.
        ImFontConfig m;
        m.MergeMode = true;
        m.OversampleH = 1;
        fonts.AddFontFromFileTTF(ff.fallback.c_str(), px, &m, kSymbols);
      }
      // Each script font gets every code point we draw; ImGui keeps only the glyphs it has and the fonts before
      // lack, so the atlas holds just the Hebrew (Arabic, …) letters of the user's text. Each is sized so its em
      // matches the UI font's: same-looking letters, not the same line height.
      const float main_h = line_height_in_ems(ff.file.path, ff.file.index);
      for (const ScriptFont& sf : ff.scripts) {
        if (sf.path.empty()) continue;
        const float h = line_height_in_ems(sf.path, sf.index);
        ImFontConfig m;
        m.MergeMode = true;
        m.OversampleH = 1;
        m.FontNo = sf.index;
        const float k = main_h > 0 && h > 0 ? std::clamp(h / main_h, 0.5f, 2.0f) : 1.0f;
        fonts.AddFontFromFileTTF(sf.path.c_str(), std::round(px * k), &m, out.ranges->Data);
      }
    }
  }
  if (!main_font) {
    fonts.Clear();
    ImFontConfig d;
    d.SizePixels = px;
    fonts.AddFontDefault(&d);
  }
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  fonts.GetTexDataAsRGBA32(&pixels, &w, &h);  // builds and converts here, not in the GL upload
  out.extra = std::move(extra);
  out.main_font = main_font;
  out.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

// UI thread, between frames: makes `b` the context's atlas (the old one is freed) and uploads its texture.
void install_atlas(FontState& fs, AtlasBuild&& b) {
  ImGuiIO& io = ImGui::GetIO();
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImFontAtlas* old = io.Fonts;
  io.Fonts = b.atlas;  // the context frees it at the end (it created the first one, so it owns io.Fonts)
  b.atlas = nullptr;
  IM_DELETE(old);
  ImGui_ImplOpenGL3_CreateFontsTexture();
  if (!b.main_font) fs.files.file.path.clear();
  fs.extra = std::move(b.extra);
  fs.ranges = b.ranges;
  fs.build_ms = b.ms;
}

// Start-up, a change of UI scale and presenter mode on or off: on this thread, now, with the style scaled to match.
// `glyphs`: the atlas is rebuilt even at the same scale (a new language needs its translation's glyphs).
void build_fonts(FontState& fs, float scale, bool high_contrast, const std::string& text, bool glyphs = false) {
  fs.job.cancel();
  if (scale != fs.scale || glyphs) install_atlas(fs, make_atlas(fs.files, scale, fs.extra, text));
  apply_theme(ImGui::GetStyle(), scale, high_contrast);
  fs.scale = scale;
  fs.high_contrast = high_contrast;
}

// True when the text holds a character the atlas lacks (and we have not asked for it yet).
bool text_needs_glyphs(const FontState& fs, const std::string& text) {
  // The atlas's own font, not ImGui::GetFont(): that is null until the first NewFrame, and this runs before it.
  const ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  if (fs.files.file.path.empty() || atlas->Fonts.empty()) return false;
  const ImFont* f = atlas->Fonts[0];
  for (char32_t cp : decode_utf8(text))
    if (cp > 0x7F && cp <= 0xFFFF && !f->FindGlyphNoFallback(ImWchar(cp)) && !fs.extra.count(ImWchar(cp))) return true;
  return false;
}

struct MonkeyStats {
  int refused = 0;
  double longest_s = 0, peak_bytes = 0;
  size_t longest_action = 0;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t k = std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5));
  return v[k];
}

double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) * 1e-6;
}

// When a script switched tabs during --bench-frames: the frames of each tab, so a slow view is named. "wall" is the
// whole frame, rendering included (llvmpipe under Xvfb renders on threads of its own and, on a busy machine, waits
// for a CPU); "ui cpu" is the UI thread's own CPU time before rendering (recompute, views, ImGui); "switch" is that
// of a tab's first frame (caches rebuilt); frames in which a character was typed are counted apart.
void print_frames_per_tab(const std::vector<double>& ms, const std::vector<double>& cpu, const std::vector<double>& vtx,
                          const std::vector<View>& view, const std::vector<uint8_t>& typed) {
  struct Tab {
    std::vector<double> wall, cpu, vtx;
    double first_cpu = 0;
  };
  std::vector<Tab> per(kViewCount);
  Tab typing;
  for (size_t i = 0; i < ms.size(); ++i) {
    Tab& t = typed[i] ? typing : per[size_t(view[i])];
    if (!typed[i] && (i == 0 || view[i] != view[i - 1])) t.first_cpu = std::max(t.first_cpu, cpu[i]);
    t.wall.push_back(ms[i]), t.cpu.push_back(cpu[i]), t.vtx.push_back(vtx[i]);
  }
  if (std::count_if(per.begin(), per.end(), [](const Tab& t) { return !t.wall.empty(); }) < 2 && typing.wall.empty()) return;
  std::printf("%-18s %6s  %-22s  %-31s %9s %9s\n", "", "frames", "wall ms: median   max", "ui cpu ms: median   max  switch", "vertices", "");
  auto row = [](const std::string& name, const Tab& t) {
    std::printf("%-18s %6zu  %12.1f %8.1f  %15.2f %7.1f %7.1f %9.0f\n", name.c_str(), t.wall.size(), percentile(t.wall, 0.5),
                percentile(t.wall, 1.0), percentile(t.cpu, 0.5), percentile(t.cpu, 1.0), t.first_cpu, percentile(t.vtx, 0.5));
  };
  for (int v = 0; v < kViewCount; ++v)
    if (!per[size_t(v)].wall.empty()) row(std::string("tab ") + view_id(View(v)), per[size_t(v)]);
  if (!typing.wall.empty()) row("typing (any tab)", typing);
}

}  // namespace

std::vector<std::string> take_dropped_paths() { return std::exchange(g_dropped, {}); }

int toggle_fullscreen(Fullscreen& fs, const WindowRect& window, const std::vector<WindowRect>& monitors, WindowRect* out) {
  if (fs.on) {
    fs.on = false;
    *out = fs.saved;
    return -1;
  }
  *out = window;
  if (monitors.empty()) return -1;
  auto overlap = [&](const WindowRect& m) {
    const long w = std::min(window.x + window.w, m.x + m.w) - std::max(window.x, m.x);
    const long h = std::min(window.y + window.h, m.y + m.h) - std::max(window.y, m.y);
    return w > 0 && h > 0 ? w * h : 0L;
  };
  int best = 0;
  for (int i = 1; i < int(monitors.size()); ++i)
    if (overlap(monitors[size_t(i)]) > overlap(monitors[size_t(best)])) best = i;
  fs.on = true;
  fs.saved = window;
  *out = monitors[size_t(best)];
  return best;
}

namespace {

// F11: full screen on the monitor holding most of the window, or back to the window's previous place and size.
void apply_fullscreen_toggle(GLFWwindow* window, Fullscreen& fs) {
  WindowRect cur;
  glfwGetWindowPos(window, &cur.x, &cur.y);
  glfwGetWindowSize(window, &cur.w, &cur.h);
  int count = 0;
  GLFWmonitor** mons = glfwGetMonitors(&count);
  std::vector<WindowRect> rects;
  for (int i = 0; i < count; ++i) {
    WindowRect r;
    glfwGetMonitorPos(mons[i], &r.x, &r.y);
    if (const GLFWvidmode* m = glfwGetVideoMode(mons[i])) r.w = m->width, r.h = m->height;
    rects.push_back(r);
  }
  const bool was_on = fs.on;
  WindowRect to;
  const int k = toggle_fullscreen(fs, cur, rects, &to);
  if (k >= 0) {
    const GLFWvidmode* m = glfwGetVideoMode(mons[k]);
    glfwSetWindowMonitor(window, mons[k], 0, 0, to.w, to.h, m ? m->refreshRate : GLFW_DONT_CARE);
  } else if (was_on) {
    glfwSetWindowMonitor(window, nullptr, to.x, to.y, to.w, to.h, GLFW_DONT_CARE);
  }
}

}  // namespace

int run_gui(const GuiOptions& opts) {
  const auto t_start = std::chrono::steady_clock::now();
  glfwSetErrorCallback(glfw_error);
  if (!glfwInit()) {
    std::cerr << "attention-lab: "
              << _("cannot open a window (no display?); the headless commands still work: attention-lab export --help")
              << "\n";
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  const bool monkey = opts.monkey_actions > 0;
  const bool automated = !opts.screenshot.empty() || opts.bench_frames > 0 || !opts.script.empty() || opts.frames > 0 || monkey;
  // The app's state comes first: the saved window size is part of it.
  AppState state;
  const std::string init_err = app_init(state, opts);
  if (opts.presenter) state.ui.presenter = true;
  Fullscreen fullscreen;
  const bool saved_size = !opts.size_given && state.ui.window_w >= 320 && state.ui.window_h >= 240;
  GLFWwindow* window = glfwCreateWindow(saved_size ? state.ui.window_w : opts.width, saved_size ? state.ui.window_h : opts.height,
                                        "Attention Lab", nullptr, nullptr);
  if (!window) {
    std::cerr << "attention-lab: " << _("cannot create an OpenGL 3.3 window") << "\n";
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(automated ? 0 : 1);
  if (!gladLoadGL(glfwGetProcAddress)) {
    std::cerr << "attention-lab: " << _("cannot load OpenGL functions") << "\n";
    glfwDestroyWindow(window);
    glfwTerminate();
    return 1;
  }
  glfwSetCursorPosCallback(window, on_cursor);
  glfwSetMouseButtonCallback(window, on_button);
  glfwSetScrollCallback(window, on_scroll);
  glfwSetKeyCallback(window, on_key);
  glfwSetCharCallback(window, on_char);
  glfwSetFramebufferSizeCallback(window, on_size);
  glfwSetDropCallback(window, on_drop);
  // A job that publishes a result wakes the event loop (glfwPostEmptyEvent is safe from any thread), so an idle
  // app shows it at once instead of at the next 0.5 s timeout.
  state.ui.jobs->set_wake([] { glfwPostEmptyEvent(); });
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  ImGui_ImplGlfw_InitForOpenGL(window, true);  // chains to the callbacks above
  ClipboardGuard clipboard{io.GetClipboardTextFn, io.SetClipboardTextFn, io.ClipboardUserData, {}};
  io.GetClipboardTextFn = guarded_clipboard_get;
  io.SetClipboardTextFn = guarded_clipboard_set;
  io.ClipboardUserData = &clipboard;
  ImGui_ImplOpenGL3_Init("#version 330 core");

  int rc = 0;
  {
    if (!init_err.empty()) {
      std::cerr << "attention-lab: " << init_err << "\n";
      rc = 2;
    }
    // Window layout persists in the user's config folder, never the working directory.
    std::string ini = state.config_dir.empty() || automated ? "" : state.config_dir + "/imgui.ini";
    io.IniFilename = ini.empty() ? nullptr : ini.c_str();
    if (!ini.empty()) ImGui::LoadIniSettingsFromDisk(ini.c_str());
    // HiDPI: start from the monitor's content scale unless a scale was saved or given.
    float xs = 1, ys = 1;
    glfwGetWindowContentScale(window, &xs, &ys);
    if (opts.ui_scale == 0 && state.ui.ui_scale == 1.0f && xs > 1.0f) state.ui.ui_scale = std::min(3.0f, xs);
    FontState fonts;
    fonts.files.file = find_ui_font();
    fonts.files.fallback = find_symbol_font();
    fonts.files.scripts = find_script_fonts();
    build_fonts(fonts, effective_ui_scale(state.ui), state.ui.presenter, state.doc.text + state.doc.batch_text + lesson_glyph_text(state.ui.lessons));
    if (fonts.files.file.path.empty())
      state.ui.status =
          _("No CJK font found (install fonts-noto-cjk): using ImGui's built-in font; Chinese shows as '?'.");
    else if (const std::string m = missing_fonts_note(fonts.files.scripts); !m.empty() && state.ui.status.empty()) state.ui.status = m;
    if (opts.bench_frames > 0)
      std::printf("font atlas: %d glyphs, %dx%d, built in %.1f ms\n", io.Fonts->Fonts[0]->Glyphs.Size, io.Fonts->TexWidth,
                  io.Fonts->TexHeight, fonts.build_ms);

    // The monkey: its actions run like a script's, but a refused action is counted, not fatal, and every frame is
    // checked against the frame-time limit and the memory cap.
    MonkeyStats mk;
    std::unique_ptr<std::ofstream> mk_log;
    if (monkey) {
      std::vector<std::string> names;
      for (const ModelEntry& e : state.models) names.push_back(e.name());
      state.script = Script();
      state.script.actions = monkey_actions(opts.monkey_seed, opts.monkey_actions, names);
      state.has_script = true;
      if (!opts.monkey_log.empty()) mk_log = std::make_unique<std::ofstream>(opts.monkey_log);
    }
    std::vector<double> frame_ms;
    std::vector<double> frame_cpu_ms;  // CPU time of the UI thread's own work in the frame (recompute, views, ImGui)
    std::vector<double> frame_vtx;     // vertices ImGui drew: what the renderer has to rasterise
    std::vector<View> frame_view;      // the tab each measured frame drew (UiState::view after the frame)
    std::vector<uint8_t> frame_typed;  // 1: the text changed in that frame (a typed character)
    std::string last_text = state.doc.text;
    const int warmup = 20;
    int frame = 0;
    bool first_frame = true;
    std::string shot;       // the script's screenshot of this frame
    std::string check;      // the script's layout check of this frame (a findings file)
    bool redraw = false;    // the last frame was not complete (a job was running): draw it again, script paused
    while (!glfwWindowShouldClose(window) && rc == 0) {
      const auto f0 = std::chrono::steady_clock::now();
      const bool animating = state.ui.playing || state.ui.path_playing || state.dirty;
      if (automated || animating || g_busy_frames > 0) glfwPollEvents();
      else glfwWaitEventsTimeout(0.5);  // idle: sleep until input (or twice a second)
      if (g_busy_frames > 0) --g_busy_frames;

      if (!redraw) shot.clear(), check.clear();
      if (state.has_script && rc == 0 && !redraw) {
        if (mk_log && state.script.wait == 0 && state.script.next < state.script.actions.size())
          *mk_log << state.script.next << " " << monkey_describe(state.script.actions[state.script.next]) << std::endl;
        const std::string e = script_step(state.script, state, &shot);
        check = std::exchange(state.layout_check, {});
        if (monkey) {
          mk.refused += !e.empty();
        } else if (!e.empty()) {
          std::cerr << "attention-lab: " << e << "\n";
          rc = 2;
          break;
        }
      }
      redraw = false;
      const uint64_t published_before = state.ui.jobs->published();
      const double cpu0 = thread_cpu_ms();
      for (const std::string& p : take_dropped_paths()) state.ui.open_model_request = p;  // a folder dropped: open it
      app_before_frame(state);  // recompute once, before drawing, if the document changed
      if (fonts.job.poll()) install_atlas(fonts, std::move(*fonts.job.result()));  // glyphs typed earlier, ready now
      // A new scale (a slider released, a script, presenter mode on or off): fonts and theme rebuilt once, never
      // while a slider is being dragged.
      const float want_scale = effective_ui_scale(state.ui);
      if (state.ui.ui_scale_changed ||
          ((want_scale != fonts.scale || state.ui.presenter != fonts.high_contrast) && !ImGui::IsAnyItemActive())) {
        build_fonts(fonts, want_scale, state.ui.presenter, state.doc.text + state.doc.batch_text + lesson_glyph_text(state.ui.lessons),
                    state.ui.ui_scale_changed);
        state.ui.ui_scale_changed = false;
      } else if (text_needs_glyphs(fonts, state.doc.text) || text_needs_glyphs(fonts, state.doc.batch_text)) {
        // New characters: a bigger atlas on a worker (the same one while they are being built).
        std::set<ImWchar> want = fonts.extra;
        for (char32_t cp : decode_utf8(state.doc.text + state.doc.batch_text))
          if (cp > 0x7F && cp <= 0xFFFF) want.insert(ImWchar(cp));
        fonts.job.start(state.ui.jobs, {fonts.scale, want}, [files = fonts.files, scale = fonts.scale, want](const JobToken&) {
          return make_atlas(files, scale, want, "");
        });
      }
      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      if (opts.no_mouse) io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
      ImGui::NewFrame();
      app_draw(state);
      ImGui::Render();
      const double cpu_ms = thread_cpu_ms() - cpu0;  // before GL: llvmpipe renders on threads of its own
      const int vertices = ImGui::GetDrawData()->TotalVtxCount;
      int fb_w = 0, fb_h = 0;
      glfwGetFramebufferSize(window, &fb_w, &fb_h);
      glViewport(0, 0, fb_w, fb_h);
      const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
      glClearColor(bg.x, bg.y, bg.z, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
      ++frame;
      const bool script_over = state.has_script && state.script.done() && opts.bench_frames == 0;
      const bool frames_over = opts.frames > 0 && frame >= opts.frames;
      const bool bench_over = opts.bench_frames > 0 && int(frame_ms.size()) >= opts.bench_frames;
      const bool final_shot = (frames_over || (script_over && opts.frames == 0) || bench_over) && !opts.screenshot.empty();
      // A screenshot shows complete views: while a job runs (or one published after this frame began), wait for the
      // jobs and draw the frame again. Scripted runs stay deterministic; the interactive app never waits here.
      if ((!shot.empty() || !check.empty() || final_shot) && (state.ui.jobs->in_flight() > 0 || state.ui.jobs->published() != published_before)) {
        if (!state.ui.jobs->wait_idle(600)) std::cerr << "attention-lab: a background job is still running after 10 minutes\n";
        else {
          redraw = true;
          continue;
        }
      }
      if (first_frame && automated) {
        glFinish();
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_start).count();
        if (opts.bench_frames > 0) std::printf("start to first frame: %.1f ms\n", ms);
        first_frame = false;
      }
      if (!check.empty()) {
        std::ofstream out(check);
        for (const std::string& line : check_layout(frame_layout_lists(), *io.Fonts)) out << line << "\n";
        if (!out) std::cerr << "attention-lab: " << printf_text(_("cannot write %s"), check.c_str()) << "\n", rc = 1;
      }
      if (!shot.empty()) {
        const std::string e = save_framebuffer_png(fb_w, fb_h, shot);
        if (!e.empty()) std::cerr << "attention-lab: " << e << "\n", rc = 1;
      }
      if (final_shot) {
        const std::string e = save_framebuffer_png(fb_w, fb_h, opts.screenshot);
        if (!e.empty()) std::cerr << "attention-lab: " << e << "\n", rc = 1;
        else std::cout << printf_text(_("wrote %s (%dx%d)"), opts.screenshot.c_str(), fb_w, fb_h) << "\n";
      }
      glfwSwapBuffers(window);
      if (state.ui.fullscreen_request) {
        state.ui.fullscreen_request = false;
        apply_fullscreen_toggle(window, fullscreen);
      }
      if (opts.bench_frames > 0) {
        glFinish();
        if (frame > warmup) {
          frame_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - f0).count());
          frame_cpu_ms.push_back(cpu_ms);
          frame_vtx.push_back(vertices);
          frame_view.push_back(state.ui.view);
          frame_typed.push_back(state.doc.text != last_text);
        }
        last_text = state.doc.text;
      }
      if (monkey) {
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - f0).count();
        const double rss = resident_bytes();
        const size_t action = state.script.next > 0 ? state.script.next - 1 : 0;
        if (s > mk.longest_s) mk.longest_s = s, mk.longest_action = action;
        mk.peak_bytes = std::max(mk.peak_bytes, rss);
        std::string why;
        if (s > kMonkeyMaxFrameSeconds) why = "a frame took " + fmt_fixed(s, 1) + " s";
        if (rss > kMonkeyMemoryCap) why = "the process holds " + std::to_string(int(rss / 1e6)) + " MB, past the cap";
        if (!why.empty()) {
          std::cerr << "monkey: seed " << opts.monkey_seed << ": " << why << " after action " << action << ": "
                    << monkey_describe(state.script.actions[action]) << "\n";
          rc = 3;
        }
      }
      if (frames_over || (script_over && opts.frames == 0) || bench_over) break;
    }
    if (monkey && rc == 0)
      std::printf("monkey: seed %llu: %zu actions survived (%d refused with a message), longest frame %.0f ms "
                  "(action %zu), peak memory %.0f MB\n", (unsigned long long)opts.monkey_seed, state.script.next,
                  mk.refused, mk.longest_s * 1e3, mk.longest_action, mk.peak_bytes / 1e6);
    if (opts.bench_frames > 0 && !frame_ms.empty())
      std::printf("frames: %zu after %d warm-up, %dx%d · median %.2f ms · p95 %.2f ms · max %.2f ms\n", frame_ms.size(), warmup,
                  opts.width, opts.height, percentile(frame_ms, 0.5), percentile(frame_ms, 0.95), percentile(frame_ms, 1.0));
    print_frames_per_tab(frame_ms, frame_cpu_ms, frame_vtx, frame_view, frame_typed);
    if (io.IniFilename) ImGui::SaveIniSettingsToDisk(io.IniFilename);
    io.IniFilename = nullptr;
    glfwGetWindowSize(window, &state.ui.window_w, &state.ui.window_h);
    if (fullscreen.on) state.ui.window_w = fullscreen.saved.w, state.ui.window_h = fullscreen.saved.h;  // its windowed size
    app_shutdown(state);
    state.ui.jobs->set_wake({});  // workers still finishing must not call GLFW after glfwTerminate
    state.ui.textures.clear();
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return rc;
}

}  // namespace attn
