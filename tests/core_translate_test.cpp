// Messages made in core/ follow the language (core/translate.h, issue 14 §3): the same refusal in English and, with
// zh_CN set, in po/zh_CN.po's Chinese, numbers in place; and back in English after.
#include <gtest/gtest.h>

#include "settings.h"
#include "settings_table.h"
#include "task.h"
#include "translate.h"

namespace attn {
namespace {

struct Language {
  explicit Language(const char* code) { ok = set_language(code); }
  ~Language() { set_language("en"); }
  bool ok = false;
};

TEST(CoreTranslate, ValidateRefusesInTheLanguageSet) {
  Settings s;
  s.d_model = 64, s.heads = 5;
  const std::string en = "heads (5) must divide d_model (64) so that d_k = d_model / h is a whole number";
  EXPECT_EQ(validate(s), en);
  {
    Language zh("zh_CN");
    ASSERT_TRUE(zh.ok) << "no zh_CN catalogue: locale_dir() = '" << locale_dir() << "'";
    EXPECT_EQ(validate(s), "头数（5）必须整除 d_model（64），这样 d_k = d_model / h 才是整数");
    s.heads = 4;
    s.temperature = 0;  // a field outside its range: the table's message, with the numbers the table holds
    EXPECT_EQ(validate(s), "temperature 必须在 0.001 到 1000 之间（得到的是 0）");
  }
  s.heads = 5;
  EXPECT_EQ(validate(s), en);  // English again once the language is
}

TEST(CoreTranslate, MemoryRefusalAndTaskInputInChinese) {
  Language zh("zh_CN");
  ASSERT_TRUE(zh.ok);
  // 3 GB against the cap: the megabytes are bytes / 1e6, rounded down, as in English.
  EXPECT_EQ(memory_refusal(3e9, _("weights and trace")),
            printf_text("这些尺寸需要约 3000 MB 用于权重和追踪数据，超过了本应用允许的 %d MB", int(kMaxModelBytes / 1e6)));
  EXPECT_EQ(memory_refusal(1e6, "x"), "");
  TaskSpec t;
  t.kind = TaskKind::Reverse, t.length = 8, t.vocab = 10;
  std::vector<int> ids;
  EXPECT_EQ(parse_task_input(t, "3 1 x", &ids), "“x”不是该任务的符号：请使用 0 到 9 的数字");
}

}  // namespace
}  // namespace attn
