// `attention-lab export` and `complexity` end to end: run the real executable, read trace.json and the PNGs back.
#include <gtest/gtest.h>
#include <stb_image.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct CmdResult {
  int rc;
  std::string out, err;
};

CmdResult run(const std::string& args) {
  const fs::path dir = fs::temp_directory_path() / ("attn-run-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string cmd = std::string(ATTN_EXE) + " " + args + " >" + (dir / "o").string() + " 2>" + (dir / "e").string();
  const int status = std::system(cmd.c_str());
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  return {WEXITSTATUS(status), slurp(dir / "o"), slurp(dir / "e")};
}

fs::path fresh(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("attn-export-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  return d;
}

json read_json(const fs::path& p) {
  std::ifstream in(p);
  return json::parse(in);
}

}  // namespace

TEST(Export, TraceJsonHasTheContractedShapeAndValues) {
  const fs::path d = fresh("basic");
  const CmdResult r = run("export --text \"The animal didn't cross the street\" --out " + d.string() + " --d-model 32 --heads 4 --layers 2 --d-ff 64");
  ASSERT_EQ(r.rc, 0) << r.err;
  const json j = read_json(d / "trace.json");
  for (const char* k : {"config", "tokens", "embeddings", "positional", "input", "layers"}) EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_EQ(j["config"]["d_k"], 8);
  EXPECT_DOUBLE_EQ(j["config"]["ln_eps"].get<double>(), 1e-5f);
  const int n = int(j["tokens"].size());
  EXPECT_EQ(n, 6);
  EXPECT_EQ(j["input"].size(), size_t(n));
  EXPECT_EQ(j["input"][0].size(), 32u);
  ASSERT_EQ(j["layers"].size(), 2u);
  for (const json& L : j["layers"]) {
    for (const char* w : {"W_q", "b_q", "W_k", "b_k", "W_v", "b_v", "W_o", "b_o", "ln1_gamma", "ln1_beta", "W_1", "b_1", "W_2", "b_2",
                          "ln2_gamma", "ln2_beta"})
      EXPECT_TRUE(L["weights"].contains(w)) << w;
    EXPECT_EQ(L["weights"]["W_1"].size(), 32u);
    EXPECT_EQ(L["weights"]["W_1"][0].size(), 64u);
    EXPECT_EQ(L["mask"].size(), size_t(n));
    ASSERT_EQ(L["heads"].size(), 4u);
    for (const json& h : L["heads"]) {
      for (const char* k : {"Q", "K", "V", "scores", "scaled", "masked", "weights", "output"}) EXPECT_TRUE(h.contains(k)) << k;
      EXPECT_EQ(h["Q"][0].size(), 8u);
      for (const json& row : h["weights"]) {
        double s = 0;
        for (const json& v : row) s += v.get<double>();
        EXPECT_NEAR(s, 1.0, 1e-5);
      }
      // scaled = scores / √d_k, checked from the file's own numbers.
      EXPECT_NEAR(h["scaled"][1][2].get<double>(), h["scores"][1][2].get<double>() / std::sqrt(8.0), 1e-5);
    }
    EXPECT_EQ(L["attention_output"].size(), size_t(n));
    EXPECT_EQ(L["output"][0].size(), 32u);
  }
  // input = embeddings + positional
  EXPECT_NEAR(j["input"][2][3].get<double>(), j["embeddings"][2][3].get<double>() + j["positional"][2][3].get<double>(), 1e-6);
  // The PNGs exist, decode, and are not blank.
  for (const char* name : {"layer0_head0_weights.png", "layer1_head3_scores.png"}) {
    int w = 0, h = 0, c = 0;
    unsigned char* px = stbi_load((d / name).string().c_str(), &w, &h, &c, 3);
    ASSERT_NE(px, nullptr) << name;
    EXPECT_GT(w, 100);
    EXPECT_GT(h, 100);
    int distinct = 0;
    for (int i = 1; i < w * h; ++i) distinct += (px[3 * i] != px[0] || px[3 * i + 1] != px[1]);
    EXPECT_GT(distinct, w * h / 10);
    stbi_image_free(px);
  }
}

TEST(Export, CausalMinusInfinityIsWrittenAsAString) {
  const fs::path d = fresh("inf");
  ASSERT_EQ(run("export --text \"a b c\" --out " + d.string() + " --mask causal --mask-value -inf --layers 1").rc, 0);
  const json j = read_json(d / "trace.json");
  const json& h = j["layers"][0]["heads"][0];
  EXPECT_EQ(h["masked"][0][1], "-inf");
  EXPECT_EQ(h["weights"][0][1].get<double>(), 0.0);
  EXPECT_TRUE(j["layers"][0]["mask"][0][1].get<bool>());
  EXPECT_FALSE(j["layers"][0]["mask"][1][0].get<bool>());
}

TEST(Export, TargetAddsADecoder) {
  const fs::path d = fresh("dec");
  ASSERT_EQ(run("export --text \"the cat sat\" --target \"le chat\" --decode-steps 2 --out " + d.string() + " --layers 1").rc, 0);
  const json j = read_json(d / "trace.json");
  ASSERT_TRUE(j.contains("decoder"));
  const json& dec = j["decoder"];
  EXPECT_EQ(dec["tokens"].size(), 3u);
  EXPECT_EQ(dec["input"].size(), 3u);
  const json& L = dec["layers"][0];
  EXPECT_TRUE(L.contains("self_heads"));
  EXPECT_TRUE(L.contains("cross_heads"));
  for (const char* w : {"cross_W_q", "cross_b_q", "cross_W_o", "cross_b_o", "ln3_gamma", "ln3_beta"}) EXPECT_TRUE(L["weights"].contains(w)) << w;
  EXPECT_EQ(L["cross_heads"][0]["weights"].size(), 3u);     // m queries
  EXPECT_EQ(L["cross_heads"][0]["weights"][0].size(), 3u);  // n source keys
  EXPECT_EQ(L["self_heads"][0]["weights"][0][2].get<double>(), 0.0);  // causal
  EXPECT_TRUE(fs::exists(d / "decoder_layer0_head0_cross_weights.png"));
}

TEST(Complexity, CsvMatchesTableOne) {
  const CmdResult r = run("complexity --n 32 --d 64");
  ASSERT_EQ(r.rc, 0) << r.err;
  const std::string expected = "layer_type,complexity_per_layer,sequential_operations,maximum_path_length\n"
                               "self-attention," + std::to_string(32 * 32 * 64) + ",1,1\n"
                               "recurrent," + std::to_string(32 * 64 * 64) + ",32,31\n"  // 31 edges from first to last
                               "convolutional," + std::to_string(3 * 32 * 64 * 64) + ",1,4\n"
                               "restricted self-attention," + std::to_string(8 * 32 * 64) + ",1,8\n";  // r = 8: ±4, 31/4 up
  EXPECT_EQ(r.out, expected);
}

TEST(Cli, BadArgumentsFailWithOneLineAndWriteNothing) {
  const fs::path d = fresh("bad");
  for (const std::string& args : {"export --text \"a b\" --out " + d.string() + " --heads 3",
                                 "export --text \"a b\" --out " + d.string() + " --mask bogus",
                                 "export --text \"a b\" --out " + d.string() + " --temperature 0",
                                 "export --text \"a b\" --out " + d.string() + " --temperature nan",
                                 "export --text \"a b\" --out " + d.string() + " --frobnicate",
                                 "export --out " + d.string(),
                                 "export --text \"   \" --out " + d.string(),
                                 std::string("export --text \"a b\" --out /proc/attention-lab-cannot"),
                                 std::string("complexity --n 0 --d 4"),
                                 std::string("--size 12by4")}) {
    const CmdResult r = run(args);
    EXPECT_NE(r.rc, 0) << args;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << "\n" << r.err;
    EXPECT_EQ(r.err.rfind("attention-lab: ", 0), 0u) << r.err;
    EXPECT_FALSE(fs::exists(d / "trace.json")) << args;
  }
}
