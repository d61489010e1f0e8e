// task.h: toy tasks with generated data, each chosen because its trained attention pattern is easy to read.
//
//   reverse     encoder–decoder  y = x reversed          cross-attention: output i looks at input L−1−i (anti-diagonal)
//   sort        encoder–decoder  y = x sorted ascending  cross-attention follows the sorted order
//   copy-shift  decoder-only     y_i = x_{i−1}           a previous-token head (weight on i−1)
//   induction   decoder-only     x = [r, r…] (k distinct symbols, then r again; k varies per example), predict x_{i+1}
//               in the repeat: a two-layer model learns to look at the token after the previous occurrence of the
//               current token (an induction head)
//
// Symbols are the words "0" … "V−1" (V = vocab); ids 0 … V−1 are the output classes, id V is "<s>", the decoder's
// start token. Data comes from the project's Rng, so a seed gives the same examples on every machine.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "rng.h"

namespace attn {

enum class TaskKind { Reverse, Sort, CopyShift, Induction };

struct TaskSpec {
  TaskKind kind = TaskKind::Reverse;
  int length = 8;  // sequence length (induction: the whole sequence: k ≤ length/2 symbols and their repeat)
  int vocab = 10;  // symbols
};

constexpr int kMaxTaskLength = 64;
constexpr int kMaxTaskVocab = 100;

const char* to_string(TaskKind k);                      // "reverse", "sort", "copy-shift", "induction"
bool parse_task_kind(const std::string& s, TaskKind* out);
bool is_seq2seq(TaskKind k);                            // reverse and sort: encoder–decoder
std::string validate(const TaskSpec& t);                // "" or one sentence naming the problem

struct Example {
  std::vector<int> src;         // seq2seq: the encoder's input; decoder-only: the input sequence
  std::vector<int> tgt;         // the target at each output position (seq2seq: the output sequence;
                                // decoder-only: the class predicted at each input position)
  std::vector<uint8_t> scored;  // per output position: counted in loss and accuracy
};

Example make_example(const TaskSpec& t, Rng& rng);
std::vector<std::string> task_vocab(const TaskSpec& t);  // "0" … "V−1", "<s>"
// The decoder's input under teacher forcing: "<s>" then tgt without its last symbol (ids).
std::vector<int> decoder_input(const TaskSpec& t, const std::vector<int>& tgt);
// "3 1 4 1 5" ⇄ ids. parse returns "" or why the text is not a sequence of this task's symbols.
std::string ids_to_text(const std::vector<int>& ids);
std::string parse_task_input(const TaskSpec& t, const std::string& text, std::vector<int>* ids);
// "" when a model trained on task t has seen inputs of this length (every training example has t.length symbols),
// else why its output means nothing: the CLI refuses such an input, the app shows the sentence as a warning.
std::string untrained_length_note(const TaskSpec& t, size_t input_length);
// The expected output for an input (what the task defines), for showing beside the model's prediction.
std::vector<int> task_answer(const TaskSpec& t, const std::vector<int>& src);
// Which output positions have a defined answer for this input: all (reverse, sort); all but the first
// (copy-shift); induction: those whose token occurred earlier, but the last (nothing follows it).
std::vector<uint8_t> task_scored(const TaskSpec& t, const std::vector<int>& src);
// ids_to_text with "·" at the positions that are not scored.
std::string ids_to_text(const std::vector<int>& ids, const std::vector<uint8_t>& scored);

}  // namespace attn
