#include "translate.h"

#include <libintl.h>
#include <unistd.h>

#include <atomic>
#include <clocale>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>

// glibc's catalogue generation counter: a lookup cached under an older value is looked up again. The GNU gettext
// manual's way to make a change of LANGUAGE take effect in a running program.
extern "C" int _nl_msg_cat_cntr;

namespace attn {
namespace fs = std::filesystem;

namespace {

std::mutex g_mutex;  // guards g_code (tr() reads only g_english)
std::string g_code = "en";
std::atomic<bool> g_english{true};
bool g_bound = false;
// LANGUAGE as the user set it: set_language overwrites the variable (gettext reads it), so "follow the environment"
// must read what was there before, unless someone has set it since.
bool g_env_touched = false;
std::string g_env_set;                    // what set_language last wrote
std::optional<std::string> g_env_before;  // what it replaced (nullopt: unset)

std::optional<std::string> env_language() {
  const char* l = std::getenv("LANGUAGE");
  if (g_env_touched && l && g_env_set == l) return g_env_before;
  return l ? std::optional<std::string>(l) : std::nullopt;
}

std::string mo_path(const std::string& dir, const std::string& code) {
  return dir + "/" + code + "/LC_MESSAGES/" + kTextDomain + ".mo";
}

bool has_catalogue(const std::string& dir) {
  std::error_code ec;
  for (const Language& l : languages())
    if (std::string(l.code) != "en" && fs::is_regular_file(mo_path(dir, l.code), ec)) return true;
  return false;
}

std::string find_locale_dir() {
  std::vector<std::string> dirs;
  if (const char* e = std::getenv("ATTN_LOCALE_DIR"); e && *e) dirs.push_back(e);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    dirs.push_back((exe.parent_path().parent_path() / "share" / "locale").string());  // bin/../share/locale
    dirs.push_back((exe.parent_path().parent_path() / "locale").string());            // build/app/../locale
  }
#ifdef ATTN_BUILD_LOCALE_DIR
  dirs.push_back(ATTN_BUILD_LOCALE_DIR);
#endif
#ifdef ATTN_INSTALL_LOCALE_DIR
  dirs.push_back(ATTN_INSTALL_LOCALE_DIR);
#endif
  for (const std::string& d : dirs)
    if (has_catalogue(d)) return d;
  return {};
}

}  // namespace

const std::vector<Language>& languages() {
  static const std::vector<Language> all = {{"en", "English"}, {"zh_CN", "简体中文"}};
  return all;
}

std::string language_codes() {
  std::string s;
  for (const Language& l : languages()) s += (s.empty() ? "" : ", ") + std::string(l.code);
  return s;
}

const std::string& locale_dir() {
  static const std::string dir = find_locale_dir();
  return dir;
}

std::string normalize_language(const std::string& name) {
  std::string n = name.substr(0, name.find_first_of(".@"));  // drop the charset and the modifier
  if (n == "C" || n == "POSIX" || n == "en" || n.rfind("en_", 0) == 0) return "en";
  if (n == "zh" || n == "zh_CN" || n == "zh_SG" || n == "zh_Hans") return "zh_CN";  // Simplified Chinese
  return {};
}

std::string language_from_env() {
  // LANGUAGE is a priority list ("fr:zh_CN"); the others name one locale. The first set variable decides.
  if (const std::optional<std::string> l = env_language(); l && !l->empty()) {
    std::stringstream ss(*l);
    for (std::string item; std::getline(ss, item, ':');)
      if (const std::string c = normalize_language(item); !c.empty()) return c;
  }
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"})
    if (const char* v = std::getenv(var); v && *v) {
      const std::string c = normalize_language(v);
      return c.empty() ? "en" : c;
    }
  return "en";
}

bool set_language(const std::string& code_in) {
  const std::string code = code_in.empty() ? "en" : normalize_language(code_in);
  if (code.empty()) return false;
  if (code != "en") {
    std::error_code ec;
    if (locale_dir().empty() || !fs::is_regular_file(mo_path(locale_dir(), code), ec)) return false;
  }
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!g_bound && !locale_dir().empty()) {
    // Only LC_MESSAGES: numbers keep the C locale's decimal point everywhere (JSON, CSV, labels).
    if (!std::setlocale(LC_MESSAGES, "C.UTF-8")) std::setlocale(LC_MESSAGES, "C.utf8");
    bindtextdomain(kTextDomain, locale_dir().c_str());
    bind_textdomain_codeset(kTextDomain, "UTF-8");  // whatever LC_CTYPE says: ImGui draws UTF-8
    g_bound = true;
  }
  // Children (and libc's own messages) follow too; "en" has no catalogue, so it gives the English msgids.
  g_env_before = env_language();
  setenv("LANGUAGE", code.c_str(), 1);
  g_env_set = code, g_env_touched = true;
  ++_nl_msg_cat_cntr;
  g_code = code;
  g_english = code == "en";
  return true;
}

std::string language() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_code;
}

const char* tr(const char* msgid) {
  if (g_english || !msgid || !*msgid) return msgid;  // "" would give the catalogue's header
  return dgettext(kTextDomain, msgid);
}

const char* tr_plural(const char* singular, const char* plural, unsigned long n) {
  if (g_english) return n == 1 ? singular : plural;
  return dngettext(kTextDomain, singular, plural, n);
}

std::string catalogue_text() {
  std::string code;
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    code = g_code;
  }
  if (code == "en" || locale_dir().empty()) return {};
  std::ifstream in(mo_path(locale_dir(), code), std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string mo = ss.str();
  // The .mo layout (GNU gettext manual, "MO Files"): magic, revision, N, offset of the originals' table, offset of
  // the translations' table; each table holds N (length, offset) pairs of 32-bit words.
  auto word = [&](size_t at, bool swap) -> uint32_t {
    if (at + 4 > mo.size()) return 0;
    uint32_t v;
    std::memcpy(&v, mo.data() + at, 4);
    return swap ? __builtin_bswap32(v) : v;
  };
  const bool swap = word(0, false) == 0xde120495u;
  if (!swap && word(0, false) != 0x950412deu) return {};
  const uint32_t n = word(8, swap), t = word(16, swap);
  std::string all;
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t len = word(t + 8 * size_t(i), swap), off = word(t + 8 * size_t(i) + 4, swap);
    if (size_t(off) + len <= mo.size()) all.append(mo, off, len);
  }
  return all;
}

std::string vprintf_text(const char* fmt, va_list args) {
  va_list again;
  va_copy(again, args);
  const int n = std::vsnprintf(nullptr, 0, fmt, args);
  std::string out(n > 0 ? size_t(n) : 0, '\0');
  if (n > 0) std::vsnprintf(out.data(), out.size() + 1, fmt, again);
  va_end(again);
  return out;
}

std::string printf_text(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::string out = vprintf_text(fmt, ap);
  va_end(ap);
  return out;
}

}  // namespace attn
