// libFuzzer target: the command-line parser (parsing only: nothing is run or written). Arguments are the
// input split at NUL bytes. Whatever it accepts for export and train passes validation.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "cli.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> args{"attention-lab"};
  std::string cur;
  for (size_t i = 0; i < size && args.size() < 64; ++i) {
    if (data[i] == 0) args.push_back(cur), cur.clear();
    else cur += char(data[i]);
  }
  args.push_back(cur);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  std::ostringstream out, err;
  attn::GuiOptions gui;
  const attn::Command c = attn::parse_cli(int(argv.size()), argv.data(), out, err, &gui);
  if (c.kind == attn::Command::Export && !attn::validate(c.settings).empty()) std::abort();
  if (c.kind == attn::Command::Train && !attn::validate(c.train).empty()) std::abort();
  if (c.kind == attn::Command::Exit && c.exit_code != 0 && err.str().empty()) std::abort();  // errors say why
  return 0;
}
