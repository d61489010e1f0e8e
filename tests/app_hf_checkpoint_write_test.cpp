// The GPT-2 checkpoint writer (app/hf_checkpoint_write.h), checked against the reader and against independent code:
// an F32 folder loads back (load_hf_checkpoint) with every parameter bit-identical; an F16 folder loads with every
// weight rounded as binary16 rounds (tiny_gpt2.h's round_to, from IEEE 754's definition), and the engine's logits on
// it match tiny_gpt2.h's double-precision GPT-2 run on the tensors read back from the files by this test's own
// parser; the bytes are deterministic and laid out as the safetensors library lays them out; bad models, values,
// options and folders are refused with one sentence and nothing written. float_to_f16 on its edge cases, on every
// binary16 value and on every midpoint between two of them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>

#include "bpe.h"
#include "hf_checkpoint.h"
#include "hf_checkpoint_write.h"
#include "rng.h"
#include "reference_check.h"
#include "tiny_gpt2.h"
#include "trace.h"
#include "utf8.h"

namespace attn {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

class HfWrite : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::temp_directory_path() / ("attn-hfw-" + std::string(info->name()) + "-" + std::to_string(getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

uint32_t bits(float x) {
  uint32_t u;
  std::memcpy(&u, &x, 4);
  return u;
}

// tiny_gpt2.h's byte-level vocabulary: the 256 byte symbols, 5 merges, then <|endoftext|> (262 tokens, id 261).
HfWriteOptions options(const std::string& dtype) {
  test::TinyGpt2 t;
  test::tiny_vocab(&t);
  HfWriteOptions o;
  o.dtype = dtype;
  o.vocab_json = test::vocab_json(t);
  o.merges_txt = test::merges_txt(t);
  return o;
}
constexpr int kTinyVocab = 262;

// A GPT-2-shaped model built here, owned and contiguous as the trainer makes one: weights and biases ~ N(0, 0.3²),
// LayerNorm γ ~ 1 + N(0, 0.1²), from core/rng.h.
Model gpt2_model(int d, int heads, int layers, int context, int vocab, uint64_t seed) {
  Model m = make_model(d, 4 * d, layers, seed, false);
  Gpt2Config g;
  g.n_embd = d;
  g.n_head = heads;
  g.n_layer = layers;
  g.n_positions = context;
  g.vocab_size = vocab;
  g.n_inner = 4 * d;
  m.config = model_config(g);  // the reader's: decoder-only, GELU (tanh), learned positions, pre-norm, ln_f, tied
  const ModelConfig& c = m.config;
  for (EncoderLayerWeights& l : m.encoder) {
    l.ffn.activation = Activation::GeluTanh;
    l.ln1.eps = l.ln2.eps = c.ln_eps;
  }
  m.embedding = Mat(vocab, d);
  m.wpe = Mat(context, d);
  m.ln_f = {RowVec(d), RowVec(d), c.ln_eps};
  for (int i = 0; i < vocab; ++i) m.vocab.push_back(std::to_string(i));
  m.classes = vocab;
  Rng rng(seed);
  for (Param& p : parameters(m)) {
    const bool gamma = p.name.find("gamma") != std::string::npos;
    for (size_t i = 0; i < p.size(); ++i) p[i] = gamma ? 1 + 0.1f * rng.normal() : 0.3f * rng.normal();
  }
  return m;
}
Model small_model() { return gpt2_model(16, 4, 2, 12, kTinyVocab, 5); }

std::shared_ptr<const Model> load_ok(const fs::path& dir, CheckpointInfo* info = nullptr) {
  std::shared_ptr<const Model> m;
  const std::string e = load_hf_checkpoint(dir.string(), &m, info);
  EXPECT_EQ(e, "");
  return m;
}

// Refused: one line starting with the folder, containing `expect`, and nothing written (the folder not even made).
void expect_refused(const Model& m, const fs::path& dir, const HfWriteOptions& o, const std::string& expect) {
  const std::string e = save_hf_checkpoint(m, dir.string(), o);
  EXPECT_EQ(e.rfind(untrusted_text(dir.string(), 240) + ": ", 0), 0u) << e;
  EXPECT_NE(e.find(expect), std::string::npos) << "message: " << e << "\nexpected to contain: " << expect;
  EXPECT_EQ(e.find('\n'), std::string::npos) << e;
  EXPECT_FALSE(fs::exists(dir)) << e;
}

// ---- round trips

void expect_same_config(const ModelConfig& a, const ModelConfig& b) {
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.d_model, b.d_model);
  EXPECT_EQ(a.heads, b.heads);
  EXPECT_EQ(a.layers, b.layers);
  EXPECT_EQ(a.d_ff, b.d_ff);
  EXPECT_EQ(a.activation, b.activation);
  EXPECT_EQ(a.positions, b.positions);
  EXPECT_EQ(a.norm, b.norm);
  EXPECT_EQ(a.final_norm, b.final_norm);
  EXPECT_EQ(a.output, b.output);
  EXPECT_EQ(a.tokenizer, b.tokenizer);
  EXPECT_EQ(a.context, b.context);
  EXPECT_EQ(a.vocab_size, b.vocab_size);
  EXPECT_EQ(bits(a.ln_eps), bits(b.ln_eps));
}

TEST_F(HfWrite, F32LoadsBackBitIdentical) {
  Model m = small_model();
  ASSERT_EQ(save_hf_checkpoint(m, (root_ / "m").string(), options("F32")), "");
  CheckpointInfo info;
  const auto loaded = load_ok(root_ / "m", &info);
  ASSERT_TRUE(loaded);
  expect_same_config(loaded->config, m.config);
  EXPECT_EQ(info.dtype, "F32");
  EXPECT_TRUE(info.prefixed);
  EXPECT_EQ(info.parameters, parameter_count(m));
  EXPECT_EQ(loaded->bpe->size(), kTinyVocab);
  // F32 tensors land 4-aligned (the header is padded to 8 bytes), so the reader maps them instead of copying.
  EXPECT_TRUE(loaded->embedding.viewed());
  EXPECT_TRUE(loaded->encoder[1].attn.W_k.viewed());

  Model back = *loaded;
  const std::vector<Param> want = parameters(m), got = parameters(back);
  ASSERT_EQ(got.size(), want.size());
  for (size_t k = 0; k < want.size(); ++k) {
    ASSERT_EQ(got[k].name, want[k].name);
    ASSERT_EQ(got[k].rows, want[k].rows) << want[k].name;
    ASSERT_EQ(got[k].cols, want[k].cols) << want[k].name;
    size_t differ = 0;
    for (size_t i = 0; i < want[k].size(); ++i) differ += bits(got[k][i]) != bits(want[k][i]);
    EXPECT_EQ(differ, 0u) << want[k].name;
  }
}

// A checkpoint loaded from a file (W_q | W_k | W_v strided views into c_attn) is written back unchanged too.
TEST_F(HfWrite, ALoadedCheckpointIsWrittenBackByteForByte) {
  ASSERT_EQ(save_hf_checkpoint(small_model(), (root_ / "a").string(), options("F32")), "");
  const auto loaded = load_ok(root_ / "a");
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->encoder[0].attn.W_v.outerStride(), 3 * 16);
  ASSERT_EQ(save_hf_checkpoint(*loaded, (root_ / "b").string(), options("F32")), "");
  EXPECT_EQ(test::read_text(root_ / "b" / "model.safetensors"), test::read_text(root_ / "a" / "model.safetensors"));
}

TEST_F(HfWrite, F16IsRoundedToNearestEvenAndItsLogitsMatchADoublePrecisionGpt2) {
  Model m = small_model();
  ASSERT_EQ(save_hf_checkpoint(m, (root_ / "m").string(), options("F16")), "");
  CheckpointInfo info;
  const auto loaded = load_ok(root_ / "m", &info);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(info.dtype, "F16");  // every tensor, LayerNorm vectors and biases included
  expect_same_config(loaded->config, m.config);

  // Every weight is the F16 rounding of the original, computed two ways: through float_to_f16 and the reader's
  // f16_to_float, and by tiny_gpt2.h's round_to (nearest, ties to even, from the format's definition).
  Model back = *loaded;
  const std::vector<Param> want = parameters(m), got = parameters(back);
  ASSERT_EQ(got.size(), want.size());
  size_t changed = 0;
  for (size_t k = 0; k < want.size(); ++k) {
    ASSERT_EQ(got[k].name, want[k].name);
    ASSERT_EQ(got[k].size(), want[k].size());
    size_t differ = 0;
    for (size_t i = 0; i < want[k].size(); ++i) {
      const float x = want[k][i], y = got[k][i];
      differ += bits(y) != bits(f16_to_float(float_to_f16(x))) || bits(y) != bits(test::round_to(test::Dtype::F16, x));
      changed += y != x;
    }
    EXPECT_EQ(differ, 0u) << want[k].name;
  }
  EXPECT_GT(changed, parameter_count(m) / 2);  // N(0, 0.3²) floats are almost never binary16 values

  // The engine's logits on the loaded model against a double-precision GPT-2 on the tensors as the files hold them.
  const test::TinyGpt2 saved = test::read_gpt2_folder(root_ / "m");
  ASSERT_EQ(saved.tensors.size(), 4u + 12u * 2u);
  EXPECT_EQ(saved.t("h.1.attn.c_attn.weight").values[3 * 16 + 16 + 2], back.encoder[1].attn.W_k(1, 2));
  Settings s;
  s.mask = MaskKind::Causal;
  Trace t;
  ASSERT_EQ(build_trace(checkpoint_settings(*loaded, s), " the cat in the hat", &t, loaded), "");
  ASSERT_GE(t.n(), 6);
  test::expect_trace_matches_reference(t, test::reference_forward(saved, t.token_ids));
}

TEST_F(HfWrite, WritingTwiceGivesTheSameBytesAndOnlyTheFourFiles) {
  const Model m = small_model();
  HfWriteOptions o = options("F16");
  o.name = "tiny-wordnet";
  o.metadata = {{"steps", "100"}, {"corpus", "wordnet"}};
  ASSERT_EQ(save_hf_checkpoint(m, (root_ / "a").string(), o), "");
  ASSERT_EQ(save_hf_checkpoint(m, (root_ / "b").string(), o), "");
  ASSERT_EQ(save_hf_checkpoint(m, (root_ / "a").string(), o), "");  // over an existing folder
  std::set<std::string> files;
  for (const auto& e : fs::directory_iterator(root_ / "a")) files.insert(e.path().filename().string());
  EXPECT_EQ(files, (std::set<std::string>{"config.json", "merges.txt", "model.safetensors", "vocab.json"}));
  for (const std::string& f : files) EXPECT_EQ(test::read_text(root_ / "a" / f), test::read_text(root_ / "b" / f)) << f;
  EXPECT_EQ(test::read_text(root_ / "a" / "vocab.json"), o.vocab_json);
  EXPECT_EQ(test::read_text(root_ / "a" / "merges.txt"), o.merges_txt);
}

TEST_F(HfWrite, TheSafetensorsFileIsLaidOutAsTheLibraryWritesIt) {
  const Model m = small_model();
  HfWriteOptions o = options("F32");
  o.metadata = {{"name", "tiny \"quoted\""}};
  ASSERT_EQ(save_hf_checkpoint(m, (root_ / "m").string(), o), "");
  const std::string file = test::read_text(root_ / "m" / "model.safetensors");
  SafetensorsHeader h;
  ASSERT_EQ(parse_safetensors_header(file, &h), "");
  EXPECT_EQ(h.data_start % 8, 0u);
  const std::string text = file.substr(8, h.data_start - 8);
  EXPECT_EQ(text.rfind("{\"__metadata__\":{\"format\":\"pt\",\"name\":\"tiny \\\"quoted\\\"\"},", 0), 0u) << text;
  const size_t close = text.find_last_not_of(' ');
  EXPECT_EQ(text[close], '}');
  EXPECT_LT(text.size() - close - 1, 8u);  // only the padding after the JSON

  // GPT2LMHeadModel's names: 4 + 12 per layer, no lm_head (tied), no attn.bias mask buffers.
  std::set<std::string> want = {"transformer.wte.weight", "transformer.wpe.weight", "transformer.ln_f.weight",
                                "transformer.ln_f.bias"};
  for (const char* l : {"0", "1"})
    for (const char* t : {"ln_1.weight", "ln_1.bias", "attn.c_attn.weight", "attn.c_attn.bias", "attn.c_proj.weight",
                          "attn.c_proj.bias", "ln_2.weight", "ln_2.bias", "mlp.c_fc.weight", "mlp.c_fc.bias",
                          "mlp.c_proj.weight", "mlp.c_proj.bias"})
      want.insert(std::string("transformer.h.") + l + "." + t);
  std::set<std::string> got;
  uint64_t at = 0;
  std::string previous;
  for (const SafetensorsTensor& t : h.tensors) {  // sorted by offset: also by name, back to back from 0
    got.insert(t.name);
    EXPECT_EQ(t.dtype, "F32");
    EXPECT_EQ(t.begin, at) << t.name;
    EXPECT_LT(previous, t.name);
    previous = t.name;
    at = t.end;
  }
  EXPECT_EQ(got, want);
  const json header = json::parse(text);
  EXPECT_EQ(header["transformer.h.1.attn.c_attn.weight"]["shape"], json({16, 48}));
  EXPECT_EQ(header["transformer.h.1.mlp.c_fc.weight"]["shape"], json({16, 64}));
  EXPECT_EQ(header["transformer.h.1.mlp.c_proj.weight"]["shape"], json({64, 16}));
  EXPECT_EQ(header["transformer.wte.weight"]["shape"], json({kTinyVocab, 16}));
  EXPECT_EQ(header["transformer.ln_f.bias"]["shape"], json({16}));

  // c_attn's row r is W_q's row r, W_k's, W_v's side by side (Conv1D, in × out), read from the bytes directly.
  const uint64_t c_attn = header["transformer.h.1.attn.c_attn.weight"]["data_offsets"][0];
  const uint64_t bias = header["transformer.h.1.attn.c_attn.bias"]["data_offsets"][0];
  auto at_float = [&](uint64_t offset, size_t i) {
    float x;
    std::memcpy(&x, file.data() + h.data_start + offset + 4 * i, 4);
    return x;
  };
  const AttentionWeights& a = m.encoder[1].attn;
  for (int r : {0, 7, 15})
    for (int c : {0, 5, 15}) {
      EXPECT_EQ(at_float(c_attn, size_t(r * 48 + c)), a.W_q(r, c));
      EXPECT_EQ(at_float(c_attn, size_t(r * 48 + 16 + c)), a.W_k(r, c));
      EXPECT_EQ(at_float(c_attn, size_t(r * 48 + 32 + c)), a.W_v(r, c));
    }
  EXPECT_EQ(at_float(bias, 16 + 3), a.b_k[3]);
  EXPECT_EQ(at_float(bias, 32 + 9), a.b_v[9]);
}

TEST_F(HfWrite, ConfigJsonHoldsGpt2ConfigsKeysSorted) {
  HfWriteOptions o = options("F16");
  o.name = "tiny";
  ASSERT_EQ(save_hf_checkpoint(small_model(), (root_ / "m").string(), o), "");
  const std::string text = test::read_text(root_ / "m" / "config.json");
  const json c = json::parse(text);
  EXPECT_EQ(text, c.dump(2) + "\n");  // keys sorted, 2-space indent: deterministic
  EXPECT_NE(text.find("\"layer_norm_epsilon\": 1e-05,"), std::string::npos) << text;  // not 9.99999974737875e-06
  const json want = {{"_name_or_path", "tiny"},
                     {"activation_function", "gelu_new"},
                     {"architectures", {"GPT2LMHeadModel"}},
                     {"attn_pdrop", 0.0},
                     {"bos_token_id", kTinyVocab - 1},
                     {"embd_pdrop", 0.0},
                     {"eos_token_id", kTinyVocab - 1},
                     {"initializer_range", 0.02},
                     {"layer_norm_epsilon", 1e-5},
                     {"model_type", "gpt2"},
                     {"n_ctx", 12},
                     {"n_embd", 16},
                     {"n_head", 4},
                     {"n_inner", 64},
                     {"n_layer", 2},
                     {"n_positions", 12},
                     {"reorder_and_upcast_attn", false},
                     {"resid_pdrop", 0.0},
                     {"scale_attn_by_inverse_layer_idx", false},
                     {"scale_attn_weights", true},
                     {"tie_word_embeddings", true},
                     {"torch_dtype", "float16"},
                     {"use_cache", true},
                     {"vocab_size", kTinyVocab}};
  EXPECT_EQ(c, want) << c.dump(2);
}

// ---- refusals

TEST_F(HfWrite, ModelsThatAreNotGpt2ShapedAreRefused) {
  const HfWriteOptions o = options("F32");
  const fs::path dir = root_ / "never";
  struct Case {
    std::function<void(Model&)> edit;
    std::string expect;
  };
  const std::vector<Case> cases = {
      {[](Model& m) { m.config.kind = ModelKind::Encoder; }, "not GPT-2-shaped: it is not decoder-only"},
      {[](Model& m) { m.config.positions = PEKind::Sinusoidal; }, "positions are not learned"},
      {[](Model& m) { m.config.norm = NormPlacement::Post; }, "LayerNorms follow each sublayer"},
      {[](Model& m) { m.config.final_norm = false; }, "no final LayerNorm"},
      {[](Model& m) { m.config.output = OutputKind::Separate; }, "not tied to the token embedding"},
      {[](Model& m) { m.config.activation = Activation::ReLU; }, "not GELU's tanh approximation"},
      {[](Model& m) { m.encoder[1].ffn.activation = Activation::ReLU; }, "enc1's feed-forward does not use GELU"},
      {[](Model& m) { m.config.heads = 3; }, "d_model (16) is not a positive multiple of its heads (3)"},
      {[](Model& m) { m.encoder.pop_back(); }, "it has 1 layers of weights but its config says 2"},
      {[](Model& m) { m.encoder[0].ln2.eps = 1e-6f; }, "enc0.ln2 has LayerNorm ε 1e-06 but its config 1e-05"},
      {[](Model& m) { m.wpe = Mat(11, 16); }, "its wpe is 11 × 16 where its config needs 12 × 16"},
      {[](Model& m) { m.encoder[1].attn.W_k = Mat(16, 8); }, "its enc1.W_k is 16 × 8 where its config needs 16 × 16"},
      {[](Model& m) { m.encoder[0].ffn.b_1 = RowVec(63); }, "its enc0.b_1 is 63 where its config needs 64"},
      {[](Model& m) { m.config.vocab_size = 300; }, "its embedding is 262 × 16 where its config needs 300 × 16"},
  };
  for (const Case& c : cases) {
    Model m = small_model();
    c.edit(m);
    SCOPED_TRACE(c.expect);
    expect_refused(m, dir, o, c.expect);
  }
}

TEST_F(HfWrite, NonFiniteWeightsAreRefusedWithTheirNames) {
  Model m = small_model();
  m.encoder[1].attn.W_k(2, 5) = std::numeric_limits<float>::quiet_NaN();
  expect_refused(m, root_ / "nan", options("F32"), "tensor transformer.h.1.attn.c_attn.weight (enc1.W_k, row 2, column 5) is nan");
  m = small_model();
  m.ln_f.beta[3] = -INFINITY;
  expect_refused(m, root_ / "inf", options("F16"), "tensor transformer.ln_f.bias (ln_f_beta, column 3) is -inf");
}

TEST_F(HfWrite, AWeightPastF16sRangeIsRefusedForF16Only) {
  Model m = small_model();
  m.encoder[0].ffn.W_1(4, 9) = -70000;
  expect_refused(m, root_ / "f16", options("F16"),
                 "tensor transformer.h.0.mlp.c_fc.weight (enc0.W_1, row 4, column 9) is -70000, beyond F16's largest "
                 "value 65504: save it as F32");
  ASSERT_EQ(save_hf_checkpoint(m, (root_ / "f32").string(), options("F32")), "");
  EXPECT_EQ(load_ok(root_ / "f32")->encoder[0].ffn.W_1(4, 9), -70000);
  // 65519 is below the midpoint 65520 between 65504 and infinity: it rounds to 65504 and is kept.
  m.encoder[0].ffn.W_1(4, 9) = 65519;
  ASSERT_EQ(save_hf_checkpoint(m, (root_ / "edge").string(), options("F16")), "");
  EXPECT_EQ(load_ok(root_ / "edge")->encoder[0].ffn.W_1(4, 9), 65504);
}

TEST_F(HfWrite, BadOptionsAreRefused) {
  const Model m = small_model();
  const fs::path dir = root_ / "never";
  HfWriteOptions o = options("BF16");
  expect_refused(m, dir, o, "the weights can be saved as F32 or F16, not BF16");
  o = options("F32");
  o.vocab_json.clear();
  expect_refused(m, dir, o, "needs its tokenizer (vocab.json and merges.txt)");
  o = options("F32");
  o.vocab_json = "[1, 2]";
  expect_refused(m, dir, o, "vocab.json + merges.txt: ");
  // Without <|endoftext|>, config.json could not name GPT-2's bos/eos token.
  test::TinyGpt2 t;
  test::tiny_vocab(&t);
  t.vocab.pop_back();
  o = options("F32");
  o.vocab_json = test::vocab_json(t);
  expect_refused(m, dir, o, "vocab.json has no <|endoftext|>");
  // A tokenizer with more tokens than the embedding has rows.
  expect_refused(gpt2_model(16, 4, 2, 12, 200, 5), dir, options("F32"),
                 "the tokenizer has 262 tokens but the model embeds only 200");
  o = options("F32");
  o.metadata = {{"format", "tf"}};
  expect_refused(m, dir, o, "metadata's \"format\" is \"pt\"");
  o = options("F32");
  o.metadata = {{"corpus", "caf\xC3"}};  // cut short in the middle of "é"
  expect_refused(m, dir, o, "the name or a metadata entry is not valid UTF-8");
  o = options("F32");
  o.name = "\xFF";
  o.metadata = {{"corpus", "wordnet"}};
  expect_refused(m, dir, o, "the name or a metadata entry is not valid UTF-8");
  // A size the reader refuses (core/settings.h's kMaxLayers is 48) is refused before anything is written.
  expect_refused(gpt2_model(8, 2, 49, 4, kTinyVocab, 5), dir, options("F32"), "the folder would not load: config.json's n_layer is 49");
}

TEST_F(HfWrite, AFolderThatCannotBeWrittenIsRefused) {
  // Root may write anywhere, so the unwritable folders are ones that cannot exist: inside a file, or a file itself.
  std::ofstream(root_ / "file") << "x";
  const std::string inside = (root_ / "file" / "model").string();
  const std::string e = save_hf_checkpoint(small_model(), inside, options("F32"));
  EXPECT_EQ(e.rfind(inside + ": cannot create the folder (", 0), 0u) << e;
  EXPECT_EQ(save_hf_checkpoint(small_model(), (root_ / "file").string(), options("F32")),
            (root_ / "file").string() + ": it is a file, not a folder");
  EXPECT_EQ(test::read_text(root_ / "file"), "x");
}

// ---- float_to_f16

TEST(FloatToF16, EdgeCases) {
  EXPECT_EQ(float_to_f16(1.0f), 0x3C00);
  EXPECT_EQ(float_to_f16(-2.0f), 0xC000);
  EXPECT_EQ(float_to_f16(0.0f), 0x0000);
  EXPECT_EQ(float_to_f16(-0.0f), 0x8000);
  EXPECT_EQ(float_to_f16(65504.0f), 0x7BFF);                          // the largest finite
  EXPECT_EQ(float_to_f16(std::nextafter(65520.0f, 0.0f)), 0x7BFF);    // just below the midpoint to infinity
  EXPECT_EQ(float_to_f16(65520.0f), 0x7C00);                          // the midpoint: ties to even, and 0x7C00 is even
  EXPECT_EQ(float_to_f16(-65520.0f), 0xFC00);
  EXPECT_EQ(float_to_f16(INFINITY), 0x7C00);
  EXPECT_EQ(float_to_f16(-INFINITY), 0xFC00);
  const uint16_t nan = float_to_f16(std::numeric_limits<float>::quiet_NaN());
  EXPECT_EQ(nan & 0x7C00, 0x7C00);
  EXPECT_NE(nan & 0x03FF, 0);
  EXPECT_EQ(float_to_f16(std::ldexp(1.0f, -14)), 0x0400);  // 6.1035e-5, the smallest normal
  EXPECT_EQ(float_to_f16(6.1e-5f), 0x03FF);                // just below it: 1023.4 · 2⁻²⁴, the largest subnormal
  EXPECT_EQ(float_to_f16(1023.5f * std::ldexp(1.0f, -24)), 0x0400);  // tie between 0x03FF and 0x0400: even
  EXPECT_EQ(float_to_f16(6e-8f), 0x0001);                  // 1.007 · 2⁻²⁴, the smallest subnormal
  EXPECT_EQ(float_to_f16(std::ldexp(1.0f, -25)), 0x0000);  // tie between 0 and 2⁻²⁴: even (0)
  EXPECT_EQ(float_to_f16(std::nextafter(std::ldexp(1.0f, -25), 1.0f)), 0x0001);
  EXPECT_EQ(float_to_f16(-3 * std::ldexp(1.0f, -25)), 0x8002);  // tie between 1 and 2 steps: even (2)
  EXPECT_EQ(float_to_f16(1e-10f), 0x0000);
  EXPECT_EQ(float_to_f16(1 + std::ldexp(1.0f, -11)), 0x3C00);      // tie between 0x3C00 and 0x3C01: even
  EXPECT_EQ(float_to_f16(1 + 3 * std::ldexp(1.0f, -11)), 0x3C02);  // tie between 0x3C01 and 0x3C02: even
  EXPECT_EQ(float_to_f16(1 + std::ldexp(1.0f, -11) + std::ldexp(1.0f, -23)), 0x3C01);
  EXPECT_EQ(float_to_f16(2047.5f), 0x6800);  // tie between 2047 (0x67FF) and 2048 (0x6800), across an exponent
  EXPECT_EQ(float_to_f16(0.1f), 0x2E66);     // 0.0999755859375, as numpy.float16(0.1) gives
}

// Every finite binary16 value converts back to its own bits (f16_to_float is the reader's).
TEST(FloatToF16, EveryF16ValueRoundTrips) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    if ((h & 0x7C00) == 0x7C00) continue;  // infinities and NaN: above
    ASSERT_EQ(float_to_f16(f16_to_float(uint16_t(h))), h) << std::hex << h;
  }
}

// Between two neighbouring binary16 values: the exact midpoint goes to the even one, a float either side of it to the
// nearer one — for every pair, both signs, subnormals included.
TEST(FloatToF16, EveryMidpointTiesToEven) {
  for (uint32_t h = 0; h < 0x7BFF; ++h) {
    const float lo = f16_to_float(uint16_t(h)), hi = f16_to_float(uint16_t(h + 1));
    const float mid = (lo + hi) / 2;
    ASSERT_EQ(double(mid), (double(lo) + double(hi)) / 2) << "the midpoint is exact in float";
    const uint32_t even = h % 2 == 0 ? h : h + 1;
    ASSERT_EQ(float_to_f16(mid), even) << std::hex << h;
    ASSERT_EQ(float_to_f16(-mid), 0x8000 | even) << std::hex << h;
    ASSERT_EQ(float_to_f16(std::nextafter(mid, 0.0f)), h) << std::hex << h;
    ASSERT_EQ(float_to_f16(std::nextafter(mid, INFINITY)), h + 1) << std::hex << h;
  }
}

// Random floats over F16's whole range against tiny_gpt2.h's rounding (nearbyint on the quantum, from the definition).
TEST(FloatToF16, AgreesWithRoundingByDefinition) {
  Rng rng(11);
  for (int i = 0; i < 200000; ++i) {
    const float x = (rng.uniform() < 0.5f ? -1 : 1) * std::ldexp(1 + rng.uniform(), int(rng.uniform(-30, 16)));
    // round_to knows no largest value: from the midpoint 65520 up, binary16 has only infinity.
    const float want = std::fabs(x) >= 65520 ? std::copysign(INFINITY, x) : test::round_to(test::Dtype::F16, x);
    ASSERT_EQ(bits(f16_to_float(float_to_f16(x))), bits(want)) << x;
  }
}

// ---- size of the shipped shape

// 4 layers × d 128 × d_ff 512 × context 128 × vocabulary 4096 (issue 13's example): 1,334,016 parameters, the file
// its header plus 2 (F16) or 4 (F32) bytes each.
TEST_F(HfWrite, TheShippedShapesFileSizes) {
  const Model m = gpt2_model(128, 4, 4, 128, 4096, 3);
  const size_t params = 4096 * 128 + 128 * 128 + 4 * (12 * 128 * 128 + 13 * 128) + 2 * 128;
  ASSERT_EQ(params, 1334016u);
  ASSERT_EQ(parameter_count(m), params);
  for (const char* dtype : {"F16", "F32"}) {
    const fs::path dir = root_ / dtype;
    ASSERT_EQ(save_hf_checkpoint(m, dir.string(), options(dtype)), "");
    const std::string file = test::read_text(dir / "model.safetensors");
    SafetensorsHeader h;
    ASSERT_EQ(parse_safetensors_header(file, &h), "");
    const size_t item = dtype[1] == '1' ? 2 : 4;
    EXPECT_EQ(file.size(), h.data_start + item * params);
    EXPECT_LT(h.data_start, 8192u);
    std::printf("%s: model.safetensors %zu bytes (header %zu), config.json %zu bytes\n", dtype, file.size(),
                size_t(h.data_start), size_t(fs::file_size(dir / "config.json")));
  }
}

}  // namespace
}  // namespace attn
