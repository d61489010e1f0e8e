// translate.h: the language of every message (core, app, ui), through GNU gettext. No ImGui here: core/ reports
// its refusals in the chosen language too; ui/i18n.h adds what needs the UI (stable_label, apply_language).
//
// Every user-visible string is written `_("English")` (looked up now) or `N_("English")` (only marked, for tables
// that are translated where they are shown: `_(f.help)`). xgettext collects both into po/attention-lab.pot; msgfmt
// compiles po/<lang>.po into build/locale/<lang>/LC_MESSAGES/attention-lab.mo at build time, and glibc's dgettext
// reads that file. Plural forms: P_("%d head", "%d heads", n).
//
// The language follows, first to last: --lang, the choice remembered in settings.json, LANGUAGE, LC_ALL,
// LC_MESSAGES, LANG. No system locale needs to exist for it (a fresh Debian 12 has only C and C.UTF-8): LC_MESSAGES
// is set to C.UTF-8, under which glibc honours LANGUAGE (under plain "C" it ignores it), and LANGUAGE is set to the
// chosen language; a switch bumps glibc's catalogue counter so that the next lookup reads the new language.
//
// Threads: set_language is for the UI thread (it writes the environment); tr() may run anywhere, but strings are
// translated where they are drawn, on the UI thread.
#pragma once
#include <cstdarg>
#include <string>
#include <vector>

#ifndef N_
#define N_(s) s
#endif
#define _(s) ::attn::tr(s)
#define P_(s, p, n) ::attn::tr_plural(s, p, n)

namespace attn {

constexpr const char* kTextDomain = "attention-lab";

struct Language {
  const char* code;  // "en", "zh_CN": what --lang and settings.json take
  const char* name;  // in its own language, for the language combo
};
const std::vector<Language>& languages();  // English first

// The translation of msgid in the current language; msgid itself in English or when it has none.
const char* tr(const char* msgid) __attribute__((format_arg(1)));
const char* tr_plural(const char* singular, const char* plural, unsigned long n)
    __attribute__((format_arg(1), format_arg(2)));

// Switches the language ("" or "en": English). False, and nothing changed, for a language without a catalogue.
bool set_language(const std::string& code);
std::string language();  // "en" or the code set
// The language LANGUAGE / LC_ALL / LC_MESSAGES / LANG ask for, among languages() ("en" when none matches).
std::string language_from_env();
// "zh_CN.UTF-8", "zh", "zh_CN@x" → "zh_CN"; "C", "POSIX", "en_GB" → "en"; "" when not one of languages().
std::string normalize_language(const std::string& name);
// "en" or "zh_CN" as listed for messages: "en, zh_CN".
std::string language_codes();

// Where the .mo files are read from (the first of: $ATTN_LOCALE_DIR, next to the executable in the build tree or an
// install, the build tree, the install prefix); "" when none holds a catalogue.
const std::string& locale_dir();

// Every translated string of the current language, concatenated (from its .mo file): the font atlas needs their
// glyphs. "" in English.
std::string catalogue_text();

// printf into a std::string, for translated formats whose arguments a translation may reorder ("%2$s … %1$s").
std::string printf_text(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string vprintf_text(const char* fmt, va_list args) __attribute__((format(printf, 1, 0)));  // the same, for wrappers

}  // namespace attn
