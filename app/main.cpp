// attention-lab: one executable for the window and the headless commands (export, complexity).
#include <iostream>

#include "cli.h"
#include "memory_policy.h"
#include "window.h"

int main(int argc, char** argv) {
  attn::keep_freed_memory();
  attn::GuiOptions gui;
  bool want_gui = false;
  const int rc = attn::run_cli(argc, argv, std::cout, std::cerr, &gui, &want_gui);
  if (!want_gui) return rc;
  return attn::run_gui(gui);
}
