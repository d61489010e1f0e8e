// Weight files (app/weights_file.h) and the train / predict commands: a saved model loads back bit for bit; every
// kind of bad file is refused with a message naming the problem and leaves the destination as it was; a failed save
// leaves nothing behind; `attention-lab train` writes a file that loads.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app_util.h"
#include "cli.h"
#include "fuzz/clean_message.h"
#include "weights_file.h"

using namespace attn;
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

fs::path fresh(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("attn-weights-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write(const fs::path& p, const std::string& bytes) { std::ofstream(p, std::ios::binary) << bytes; }

int files_in(const fs::path& d) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(d)) n += 1, (void)e;
  return n;
}

// The smallest useful model: decoder-only copy-shift, d_model 4, one layer. A few optimiser steps so the weights
// are no longer the initial ones.
TrainConfig tiny_config() {
  TrainConfig c;
  c.task = {TaskKind::CopyShift, 4, 3};
  c.d_model = 4, c.heads = 2, c.layers = 1, c.d_ff = 4, c.batch = 4, c.steps = 3, c.warmup = 1, c.seed = 7;
  return c;
}

TrainedModel trained(const TrainConfig& c) {
  Trainer t(c);
  for (int i = 0; i < c.steps; ++i) t.step();
  TrainedModel m;
  m.name = default_model_name(c);
  m.config = c;
  m.model = t.model();
  m.steps = t.steps_done();
  m.held_out = evaluate(m.model, c, 20, c.seed);
  return m;
}

const TrainedModel& tiny() {
  static const TrainedModel m = trained(tiny_config());
  return m;
}

std::string tiny_bytes() {
  std::string b;
  EXPECT_EQ(weights_to_bytes(tiny(), &b), "");
  return b;
}

// A file taken apart and put back together, so a test can change one thing.
struct File {
  json header;
  std::string data;
};
File split(const std::string& bytes) {
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = n << 8 | uint8_t(bytes[size_t(i)]);
  return {json::parse(bytes.substr(8, n)), bytes.substr(8 + n)};
}
std::string u64le(uint64_t v) {
  std::string s;
  for (int i = 0; i < 8; ++i) s.push_back(char(uint8_t(v >> (8 * i))));
  return s;
}
std::string join(const std::string& header, const std::string& data) { return u64le(header.size()) + header + data; }
std::string join(const File& f) { return join(f.header.dump(), f.data); }
std::string hex_crc(const std::string& bytes) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08lx", crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), uInt(bytes.size())));
  return buf;
}
// Overwrites float i of tensor `name` and fixes both checksums, so only the value itself is wrong.
std::string with_value(const std::string& bytes, const std::string& name, size_t i, float v) {
  File f = split(bytes);
  const size_t at = f.header[name]["data_offsets"][0].get<size_t>() + 4 * i;
  std::memcpy(&f.data[at], &v, 4);  // this machine is little-endian, as the format
  const size_t b = f.header[name]["data_offsets"][0].get<size_t>(), e = f.header[name]["data_offsets"][1].get<size_t>();
  f.header["__metadata__"]["crc32:" + name] = hex_crc(f.data.substr(b, e - b));
  f.header["__metadata__"]["crc32"] = hex_crc(f.data);
  return join(f);
}

// Loads `bytes` from a file into a TrainedModel that already holds something; returns the error.
std::string load_into_known_state(const std::string& bytes, TrainedModel* m) {
  const fs::path d = fresh("bad");
  write(d / "m.safetensors", bytes);
  m->name = "unchanged";
  m->steps = 99;
  m->config.d_model = 12;
  const std::string e = load_weights((d / "m.safetensors").string(), m);
  if (!e.empty()) {
    EXPECT_EQ(e.rfind((d / "m.safetensors").string(), 0), 0u) << "the message starts with the path: " << e;
  }
  return e;
}

void expect_same_bits(const Model& a, const Model& b) {
  Model x = a, y = b;
  const std::vector<Param> pa = parameters(x), pb = parameters(y);
  ASSERT_EQ(pa.size(), pb.size());
  for (size_t i = 0; i < pa.size(); ++i) {
    EXPECT_EQ(pa[i].name, pb[i].name);
    ASSERT_EQ(pa[i].rows, pb[i].rows) << pa[i].name;
    ASSERT_EQ(pa[i].cols, pb[i].cols) << pa[i].name;
    EXPECT_EQ(std::memcmp(pa[i].data, pb[i].data, pa[i].size() * 4), 0) << pa[i].name;
  }
  EXPECT_EQ(a.vocab, b.vocab);
  EXPECT_EQ(a.classes, b.classes);
  EXPECT_EQ(a.config.d_model, b.config.d_model);
  EXPECT_EQ(a.seed, b.seed);
}

void expect_same_config(const TrainConfig& a, const TrainConfig& b) {
  EXPECT_EQ(a.task.kind, b.task.kind);
  EXPECT_EQ(a.task.length, b.task.length);
  EXPECT_EQ(a.task.vocab, b.task.vocab);
  EXPECT_EQ(a.d_model, b.d_model);
  EXPECT_EQ(a.heads, b.heads);
  EXPECT_EQ(a.layers, b.layers);
  EXPECT_EQ(a.d_ff, b.d_ff);
  EXPECT_EQ(a.norm, b.norm);
  EXPECT_EQ(std::memcmp(&a.lr, &b.lr, sizeof a.lr), 0);
  EXPECT_EQ(a.batch, b.batch);
  EXPECT_EQ(a.steps, b.steps);
  EXPECT_EQ(a.warmup, b.warmup);
  EXPECT_EQ(std::memcmp(&a.clip, &b.clip, sizeof a.clip), 0);
  EXPECT_EQ(a.seed, b.seed);
}

struct CmdResult {
  int code;
  std::string out, err;
};
CmdResult run_exe(const std::string& args) {
  const fs::path dir = fresh("run");
  const std::string cmd = std::string(ATTN_EXE) + " " + args + " >" + (dir / "o").string() + " 2>" + (dir / "e").string();
  const int status = std::system(cmd.c_str());
  return {WEXITSTATUS(status), slurp(dir / "o"), slurp(dir / "e")};
}
CmdResult run_in_process(std::vector<std::string> args) {
  const test::CliResult r = test::run_cli_args(std::move(args));
  return {r.code, r.out, r.err};
}

}  // namespace

TEST(Weights, RoundTripIsBitIdentical) {
  TrainConfig seq = tiny_config();
  seq.task = {TaskKind::Reverse, 5, 4};
  seq.norm = NormPlacement::Pre;
  seq.lr = 1e-3f / 3;  // no short decimal form: written as the shortest string that reads back exactly
  seq.clip = 0.7f;
  seq.seed = std::numeric_limits<uint64_t>::max();
  for (const TrainedModel& m : {tiny(), trained(seq)}) {
    SCOPED_TRACE(m.name);
    const fs::path d = fresh("rt");
    const std::string path = (d / "m.safetensors").string();
    ASSERT_EQ(save_weights(path, m), "");
    TrainedModel back;
    ASSERT_EQ(load_weights(path, &back), "");
    expect_same_bits(back.model, m.model);
    expect_same_config(back.config, m.config);
    EXPECT_EQ(back.name, m.name);
    EXPECT_EQ(back.steps, m.steps);
    EXPECT_EQ(back.held_out.loss, m.held_out.loss);
    EXPECT_EQ(back.held_out.token_acc, m.held_out.token_acc);
    EXPECT_EQ(back.held_out.seq_acc, m.held_out.seq_acc);
    EXPECT_EQ(back.held_out.examples, m.held_out.examples);
    // Saving what was loaded gives the same bytes, and the loaded model predicts as the original.
    std::string again;
    ASSERT_EQ(weights_to_bytes(back, &again), "");
    EXPECT_EQ(again, slurp(path));
    const std::vector<int> src(size_t(m.config.task.length), 1);
    EXPECT_EQ(predict(back.model, back.config, src), predict(m.model, m.config, src));
    EXPECT_EQ(files_in(d), 1);
  }
}

TEST(Weights, FileIsSafetensorsWithTheDocumentedHeader) {
  const std::string b = tiny_bytes();
  const File f = split(b);
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = n << 8 | uint8_t(b[size_t(i)]);
  EXPECT_EQ((8 + n) % 8, 0u) << "the data starts 8-byte aligned";
  Model m = tiny().model;
  const std::vector<Param> params = parameters(m);
  EXPECT_EQ(f.header.size(), params.size() + 1);
  size_t at = 0;
  for (const Param& p : params) {
    const json& t = f.header.at(p.name);
    EXPECT_EQ(t.at("dtype"), "F32");
    EXPECT_EQ(t.at("shape"), json({p.rows, p.cols})) << p.name;
    EXPECT_EQ(t.at("data_offsets"), json({at, at + p.size() * 4})) << p.name;
    EXPECT_EQ(std::memcmp(f.data.data() + at, p.data, p.size() * 4), 0) << p.name;  // little-endian float32
    EXPECT_EQ(f.header["__metadata__"].at("crc32:" + p.name), hex_crc(f.data.substr(at, p.size() * 4)));
    at += p.size() * 4;
  }
  EXPECT_EQ(f.data.size(), at);
  const json& meta = f.header.at("__metadata__");
  for (const auto& [k, v] : meta.items()) EXPECT_TRUE(v.is_string()) << k;
  EXPECT_EQ(meta.at("format"), "attention-lab-weights");
  EXPECT_EQ(meta.at("version"), "1");
  EXPECT_EQ(meta.at("task"), "copy-shift");
  EXPECT_EQ(meta.at("d_model"), "4");
  EXPECT_EQ(meta.at("norm"), "post");
  EXPECT_EQ(meta.at("seed"), "7");
  EXPECT_EQ(meta.at("name"), "copy-shift-4x3");
  EXPECT_EQ(meta.at("steps_taken"), "3");
  EXPECT_EQ(meta.at("tokens"), R"(["0","1","2","<s>"])");
  EXPECT_EQ(meta.at("crc32"), hex_crc(f.data));
}

TEST(Weights, BadFilesAreRefusedAndChangeNothing) {
  const std::string ok = tiny_bytes();
  const File good = split(ok);
  auto edit = [&](auto change) {
    File f = good;
    change(f);
    return join(f);
  };
  auto meta = [&](const std::string& key, const json& value) {
    return edit([&](File& f) {
      if (value.is_null()) f.header["__metadata__"].erase(key);
      else f.header["__metadata__"][key] = value;
    });
  };
  std::string flipped = ok;
  flipped[ok.size() - 5] ^= 0x01;  // one bit of the last tensor
  std::string bad_blob_crc = ok;
  const std::string w_out = "W_out";
  struct Case {
    std::string what, bytes, expect;
  } cases[] = {
      {"empty", "", "is empty"},
      {"shorter than the length field", std::string("\x10\0\0", 3), "truncated"},
      {"header length past the end", u64le(ok.size()) + ok.substr(8), "goes past the end of the file"},
      {"absurd header length", u64le(~uint64_t(0)) + ok.substr(8), "goes past the end of the file"},
      {"cut inside the header", ok.substr(0, 40), "goes past the end of the file"},
      {"cut inside the data", ok.substr(0, ok.size() - 6), "truncated"},
      {"a PNG", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), "goes past the end of the file"},
      {"malformed JSON", join("{\"__metadata__\": {\"format\": ", good.data), "not valid JSON"},
      {"header not an object", join("[1, 2, 3]", ""), "not a JSON object"},
      {"header not an object after the brace", join("{} {}", ""), "not valid JSON"},
      {"no metadata", edit([](File& f) { f.header.erase("__metadata__"); }), "no __metadata__"},
      {"metadata not strings", meta("d_model", 4), "'d_model' is not a string"},
      {"wrong format", meta("format", "pytorch"), "not an Attention Lab weights file"},
      {"newer version", meta("version", "2"), "newer"},
      {"version not a number", meta("version", "one"), "'version' is not a valid number"},
      {"missing config field", meta("d_model", nullptr), "'d_model' is missing"},
      {"missing metrics", meta("held_out_loss", nullptr), "'held_out_loss' is missing"},
      {"number with junk", meta("layers", "1x"), "'layers' is not a valid number"},
      {"unknown task", meta("task", "fly"), "task 'fly'"},
      {"bad norm", meta("norm", "middle"), "post or pre"},
      {"config fails validate", meta("heads", "3"), "must divide d_model"},
      {"config fails validate (lr)", meta("lr", "nan"), "learning rate"},
      {"metrics out of range", meta("held_out_seq_acc", "1.5"), "out of range"},
      {"vocabulary not the task's", meta("tokens", R"(["a","b","c","<s>"])"), "vocabulary"},
      {"unknown tensor", edit([](File& f) { f.header["dec0.W_q"] = f.header["enc0.W_q"]; }), "'dec0.W_q'"},
      {"missing tensor", edit([&](File& f) { f.header.erase(w_out); }), "tensor 'W_out' is missing"},
      {"tensor not an object", edit([](File& f) { f.header["b_out"] = 3; }), "not described by a JSON object"},
      {"no dtype", edit([](File& f) { f.header["b_out"].erase("dtype"); }), "lacks its dtype"},
      {"wrong dtype", edit([](File& f) { f.header["b_out"]["dtype"] = "F16"; }), "dtype F16"},
      {"wrong shape", edit([](File& f) { f.header["W_out"]["shape"] = {3, 4}; }), "has shape [3, 4] but this config needs [4, 3]"},
      {"row vector as 1-D", edit([](File& f) { f.header["b_out"]["shape"] = {3}; }), "has shape [3] but this config needs [1, 3]"},
      {"negative shape", edit([](File& f) { f.header["b_out"]["shape"] = {1, -3}; }), "this config needs [1, 3]"},
      {"offsets not numbers", edit([](File& f) { f.header["b_out"]["data_offsets"] = {"a", "b"}; }), "not two byte offsets"},
      {"offsets negative", edit([](File& f) { f.header["b_out"]["data_offsets"] = {-12, 0}; }), "not two byte offsets"},
      {"offsets of the wrong size", edit([](File& f) { f.header["b_out"]["data_offsets"] = {0, 4}; }), "do not span its 12 bytes"},
      {"offsets out of range",
       edit([](File& f) {
         const size_t n = f.data.size();
         f.header["b_out"]["data_offsets"] = {n, n + 12};
       }),
       "ends at byte"},
      {"offsets overlapping", edit([](File& f) { f.header["enc0.W_k"]["data_offsets"] = f.header["enc0.W_q"]["data_offsets"]; }),
       "overlaps"},
      {"offsets with a gap",
       edit([](File& f) {
         f.data.insert(0, 4, '\0');
         for (auto& [k, t] : f.header.items())
           if (k != "__metadata__")
             t["data_offsets"] = {t["data_offsets"][0].get<size_t>() + 4, t["data_offsets"][1].get<size_t>() + 4};
       }),
       "4 unused bytes before tensor 'embedding'"},
      {"bytes after the data", ok + "junk", "4 bytes after its last tensor"},
      {"a large config over a small data section", meta("d_model", "512"), "needs at least"},
      {"checksum mismatch", flipped, "tensor 'b_out' does not match its checksum"},
      {"checksum missing", meta("crc32:enc0.W_v", nullptr), "'crc32:enc0.W_v' is missing"},
      {"checksum malformed", meta("crc32:enc0.W_v", "xyz"), "not 8 lowercase hex digits"},
      {"data checksum mismatch", meta("crc32", "00000000"), "data section does not match its checksum"},
      {"NaN in the weights", with_value(ok, "enc0.W_v", 5, std::numeric_limits<float>::quiet_NaN()),
       "tensor 'enc0.W_v' contains NaN or infinity"},
      {"infinity in the weights", with_value(ok, "embedding", 0, -std::numeric_limits<float>::infinity()),
       "tensor 'embedding' contains NaN or infinity"},
  };
  for (const Case& c : cases) {
    TrainedModel m;
    const std::string e = load_into_known_state(c.bytes, &m);
    EXPECT_NE(e.find(c.expect), std::string::npos) << c.what << ": " << e;
    EXPECT_EQ(e.find('\n'), std::string::npos) << c.what << ": one line";
    EXPECT_EQ(m.name, "unchanged") << c.what;
    EXPECT_EQ(m.steps, 99) << c.what;
    EXPECT_EQ(m.config.d_model, 12) << c.what;
    EXPECT_TRUE(m.model.encoder.empty()) << c.what;
  }
  TrainedModel m;
  m.name = "unchanged";
  EXPECT_NE(load_weights("/nonexistent/attn/m.safetensors", &m).find("cannot open"), std::string::npos);
  EXPECT_NE(load_weights(fresh("dir").string(), &m), "");  // a folder is not a file
  EXPECT_EQ(m.name, "unchanged");
  // Control: the untouched bytes and a NaN-free rewrite of a value load.
  EXPECT_EQ(load_into_known_state(ok, &m), "");
  EXPECT_EQ(load_into_known_state(with_value(ok, "enc0.W_v", 5, 0.25f), &m), "");
  EXPECT_EQ(m.name, "copy-shift-4x3");
}

TEST(Weights, FailedSavesLeaveNothingBehind) {
  const TrainedModel& m = tiny();
  EXPECT_NE(save_weights("/proc/attn-cannot/m.safetensors", m).find("cannot write"), std::string::npos);
  const fs::path d = fresh("save");
  EXPECT_NE(save_weights((d / "missing" / "m.safetensors").string(), m).find("cannot write"), std::string::npos);
  EXPECT_EQ(files_in(d), 0);
  // A model that could not be loaded back is not written, and the file already there stays as it was.
  const std::string path = (d / "m.safetensors").string();
  ASSERT_EQ(save_weights(path, m), "");
  const std::string before = slurp(path);
  TrainedModel nan = m;
  nan.model.W_out(0, 0) = std::numeric_limits<float>::quiet_NaN();
  EXPECT_NE(save_weights(path, nan).find("NaN"), std::string::npos);
  TrainedModel bad = m;
  bad.config.heads = 3;
  EXPECT_NE(save_weights(path, bad).find("must divide"), std::string::npos);
  TrainedModel other = m;
  other.config.d_model = 8;
  other.config.heads = 2;
  EXPECT_NE(save_weights(path, other).find("is not what its config makes"), std::string::npos);
  EXPECT_EQ(slurp(path), before);
  EXPECT_EQ(files_in(d), 1);
}

TEST(CliTrain, TrainsAndWritesALoadableFile) {
  const fs::path d = fresh("cli");
  const std::string path = (d / "m.safetensors").string();
  const std::string args = "train --task copy-shift --steps 20 --d-model 16 --d-ff 16 --length 6 --vocab 5 --batch 8 "
                           "--eval 50 --out " + path;
  const CmdResult r = run_exe(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("held-out (50 examples"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sequence accuracy"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("wrote " + path), std::string::npos) << r.out;
  // stderr is not a terminal here: a plain progress line every 10%.
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 10) << r.err;
  EXPECT_NE(r.err.find("step 20/20"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\r'), std::string::npos);
  TrainedModel m;
  ASSERT_EQ(load_weights(path, &m), "");
  EXPECT_EQ(m.name, "copy-shift-6x5");
  EXPECT_EQ(m.steps, 20);
  EXPECT_EQ(m.config.d_model, 16);  // given
  EXPECT_EQ(m.config.heads, 1);     // not given: copy-shift's recommended configuration has one head, one layer
  EXPECT_EQ(m.config.layers, 1);
  EXPECT_EQ(m.held_out.examples, 50);
  // Same arguments, same bytes.
  const std::string path2 = (d / "again.safetensors").string();
  ASSERT_EQ(run_exe(args.substr(0, args.size() - path.size()) + path2).code, 0);
  EXPECT_EQ(slurp(path), slurp(path2));

  const CmdResult p = run_exe("predict --model " + path + " --input \"1 2 3 4 0 1\"");
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_NE(p.out.find("input     1 2 3 4 0 1\n"), std::string::npos) << p.out;
  EXPECT_NE(p.out.find("expected  · 1 2 3 4 0\n"), std::string::npos) << p.out;
  EXPECT_NE(p.out.find("predicted "), std::string::npos) << p.out;
}

TEST(CliTrain, BadArgumentsAreOneLineErrors) {
  const fs::path d = fresh("cli-bad");
  const std::string out = (d / "m.safetensors").string();
  struct Case {
    std::vector<std::string> args;
    std::string expect;
  } cases[] = {
      {{"train", "--task", "fly", "--steps", "5", "--out", out}, "--task must be reverse, sort, copy-shift or induction"},
      {{"train", "--task", "reverse", "--steps", "5", "--out", out, "--heads", "3"}, "must divide d_model"},
      {{"train", "--task", "reverse", "--steps", "-1", "--out", out}, "steps must be"},
      {{"train", "--task", "reverse", "--steps", "5", "--out", out, "--norm", "mid"}, "--norm must be post or pre"},
      {{"train", "--task", "reverse", "--steps", "5", "--out", out, "--lr", "0"}, "learning rate"},
      {{"train", "--task", "induction", "--steps", "5", "--out", out, "--length", "7"}, "even length"},
      {{"train", "--task", "reverse", "--steps", "5", "--out", out, "--eval", "0"}, "--eval"},
      {{"train", "--task", "reverse", "--steps", "5"}, "--out"},
      {{"train", "--task", "reverse", "--steps", "5", "--out", (d / "no" / "m.safetensors").string()}, "does not exist"},
      {{"train", "--task", "reverse", "--steps", "5", "--out", d.string()}, "it is a folder"},
      {{"predict", "--model", (d / "none.safetensors").string(), "--input", "1 2"}, "cannot open"},
      {{"predict", "--input", "1 2"}, "--model"},
  };
  for (const Case& c : cases) {
    const CmdResult r = run_in_process(c.args);
    EXPECT_NE(r.code, 0) << c.expect;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  EXPECT_EQ(files_in(d), 0);  // nothing trained, nothing written
  // predict with a valid model but an input that is not the task's symbols
  ASSERT_EQ(save_weights(out, tiny()), "");
  const CmdResult r = run_in_process({"predict", "--model", out, "--input", "1 7"});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("--input: \"7\" is not a symbol of this task"), std::string::npos) << r.err;
  // An input of another length than the model was trained on is refused, not answered with noise ("3 1 4" to a
  // reverse model of length 8 printed "3 3 4").
  const TrainedModel t = tiny();
  std::string shorter, longer;
  for (int i = 0; i < t.config.task.length - 1; ++i) shorter += "1 ";
  longer = shorter + "1 1";
  for (const std::string& in : {shorter, longer}) {
    const CmdResult q = run_in_process({"predict", "--model", out, "--input", in});
    EXPECT_EQ(q.code, 2);
    EXPECT_NE(q.err.find("trained on inputs of exactly " + std::to_string(t.config.task.length) + " symbols"),
              std::string::npos) << q.err;
    EXPECT_EQ(std::count(q.err.begin(), q.err.end(), '\n'), 1) << q.err;
  }
}

// Regression (fuzz_weights, 150 s): a tensor name holding a newline made the message two lines, and a file's
// escape sequences reached the terminal raw. Every name and value the file supplies is quoted escaped and capped.
TEST(Weights, FileTextInMessagesIsEscapedAndOneLine) {
  const File good = split(tiny_bytes());
  auto refused = [](const std::string& bytes) {
    TrainedModel m;
    const std::string e = weights_from_bytes(bytes, &m);
    EXPECT_NE(e, "");
    EXPECT_TRUE(is_clean_message(e)) << e;
    return e;
  };
  File f = good;
  const std::string first = f.header.begin().key() == "__metadata__" ? std::next(f.header.begin()).key() : f.header.begin().key();
  f.header["W\n\x1b[31m"] = f.header[first];
  f.header.erase(first);
  EXPECT_NE(refused(join(f)).find("the file holds a tensor 'W\\n\\x1B[31m' that this model does not have"), std::string::npos);

  f = good;
  f.header["__metadata__"]["task"] = "re\x1b]0;pwned\x07verse";
  EXPECT_NE(refused(join(f)).find("the task 're\\x1B]0;pwned\\x07verse' is not one"), std::string::npos);

  f = good;
  f.header[first]["dtype"] = "F\r\n16";
  EXPECT_NE(refused(join(f)).find("has dtype F\\r\\n16 but only F32"), std::string::npos);

  f = good;
  f.header["__metadata__"]["\xc2\x9b" "2Jkey"] = 1;  // a C1 CSI in a metadata key, whose value is not a string
  EXPECT_NE(refused(join(f)).find("the metadata field '\\x9B2Jkey' is not a string"), std::string::npos);

  f = good;
  f.header[std::string(5000, 'x')] = f.header[first];  // a 5,000-character name is cut to 80 characters and "…"
  f.header.erase(first);
  const std::string capped = refused(join(f));
  EXPECT_NE(capped.find("'" + std::string(80, 'x') + "\xE2\x80\xA6'"), std::string::npos);
  EXPECT_LT(capped.size(), 200u);
}

TEST(Weights, AFileNameWithANewlineIsQuotedOnOneLine) {
  const fs::path d = fresh("newline-name");
  const fs::path p = d / "bad\nname\x1b[2J.safetensors";
  write(p, "not a weights file at all");
  TrainedModel m;
  const std::string e = load_weights(p.string(), &m);
  EXPECT_TRUE(is_clean_message(e)) << e;
  EXPECT_NE(e.find("bad\\nname\\x1B[2J.safetensors: "), std::string::npos) << e;
}
