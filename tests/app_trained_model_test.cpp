// Trained models in the app: the explorer's traces run the selected model (its vocabulary, its shapes), sessions
// keep the selection, the training job runs on its worker and stops where a script asks, and the script actions
// drive it all without a window.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app_state.h"
#include "model_library.h"
#include "script.h"
#include "session_json.h"
#include "training_job.h"
#include "weights_file.h"

using namespace attn;
namespace fs = std::filesystem;

namespace {

TrainConfig tiny(TaskKind k, int length = 6) {
  TrainConfig c;
  c.task.kind = k;
  c.task.length = length;
  c.task.vocab = 10;
  c.d_model = 16, c.heads = 2, c.layers = 1, c.d_ff = 32;
  c.batch = 4, c.steps = 30, c.warmup = 5;
  return c;
}

std::shared_ptr<TrainedModel> untrained(const TrainConfig& c, const std::string& name) {
  auto m = std::make_shared<TrainedModel>();
  m->name = name;
  m->config = c;
  m->model = init_task_model(c);
  return m;
}

std::string run_all(Script& sc, AppState& app) {
  std::string shot;
  while (!sc.done()) {
    const std::string e = script_step(sc, app, &shot);
    if (!e.empty()) return e;
    if (app.dirty) recompute(app);
  }
  return {};
}

}  // namespace

TEST(TrainedModelTrace, Seq2seqTokensComeFromTheModelVocabulary) {
  const auto tm = untrained(tiny(TaskKind::Reverse), "rev");
  Document doc;
  doc.model = "rev";
  doc.text = "3 1 4 1 5 9";
  TraceSet set;
  ASSERT_EQ(compute_traces(doc, set, tm), "");
  EXPECT_EQ(set.trace.tokens, (std::vector<std::string>{"3", "1", "4", "1", "5", "9"}));
  for (const std::string& t : set.trace.tokens) EXPECT_GE(tm->model.token_id(t), 0) << t;
  EXPECT_EQ(set.model.get(), &tm->model);  // the trained weights themselves, not new random ones
  EXPECT_EQ(set.trace.settings.d_model, 16);  // the model's shapes, whatever the document says
  ASSERT_TRUE(set.trace.decoder.has_value());
  ASSERT_EQ(set.trace.steps.size(), 6u);  // greedy decoding of `length` symbols
  for (const DecodeStep& s : set.trace.steps) {
    const int id = tm->model.token_id(s.token);
    EXPECT_TRUE(id >= 0 && id < tm->model.classes) << s.token;
  }
  EXPECT_EQ(trace_prediction(set.trace, *tm).size(), 6u);
}

TEST(TrainedModelTrace, AWordOutsideTheVocabularyIsRefusedWithAMessage) {
  const auto tm = untrained(tiny(TaskKind::CopyShift), "cs");
  Document doc;
  doc.model = "cs";
  doc.text = "3 1 4 1 5 9";
  TraceSet set;
  ASSERT_EQ(compute_traces(doc, set, tm), "");
  EXPECT_EQ(set.trace.predicted.size(), 6u);  // decoder-only: a next-token prediction at each position
  EXPECT_EQ(set.trace.logits.cols(), 10);
  EXPECT_EQ(set.trace.settings.mask, MaskKind::Causal);
  doc.text = "3 cat 4";
  const std::string e = compute_traces(doc, set, tm);
  EXPECT_NE(e.find("cat"), std::string::npos) << e;
  EXPECT_EQ(set.trace.n(), 6);  // the last good trace stays
  // A name with no model behind it is refused too, never silently random.
  doc.text = "3 1 4";
  EXPECT_NE(compute_traces(doc, set, nullptr).find("not loaded"), std::string::npos);
}

TEST(TrainedModelTrace, ViewingChoicesApplyButShapesAreTheModels) {
  const TrainConfig c = tiny(TaskKind::Reverse);
  Settings doc;
  doc.d_model = 512, doc.heads = 8, doc.scale = false, doc.temperature = 2.0f;
  const Settings s = trained_model_settings(c, doc);
  EXPECT_EQ(s.d_model, 16);
  EXPECT_EQ(s.heads, 2);
  EXPECT_FALSE(s.scale);
  EXPECT_EQ(s.temperature, 2.0f);
}

TEST(SelectModel, SwitchesTextAndShapesAndBack) {
  const auto tm = untrained(tiny(TaskKind::Sort), "sort-test");
  Document doc;
  UiState ui;
  const std::string sentence = doc.text;
  const int d_model = doc.settings.d_model;
  select_model(doc, ui, tm.get());
  EXPECT_EQ(doc.model, "sort-test");
  EXPECT_EQ(doc.settings.d_model, 16);
  std::vector<int> ids;
  EXPECT_EQ(parse_task_input(tm->config.task, doc.text, &ids), "") << doc.text;  // one of the task's inputs
  EXPECT_EQ(int(ids.size()), 6);
  select_model(doc, ui, nullptr);
  EXPECT_EQ(doc.model, "");
  EXPECT_EQ(doc.text, sentence);
  EXPECT_EQ(doc.settings.d_model, d_model);
}

TEST(SelectModel, SessionsKeepTheModelAndOlderOnesLoadAsRandomWeights) {
  const fs::path d = fs::temp_directory_path() / ("attn-trained-session-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  Document doc;
  doc.model = "reverse-8x10";
  UiState ui;
  ASSERT_EQ(save_session_file((d / "s.json").string(), doc, ui), "");
  Document back;
  ASSERT_EQ(load_session_file((d / "s.json").string(), &back, &ui), "");
  EXPECT_EQ(back.model, "reverse-8x10");
  std::ofstream(d / "old.json") << R"({"format": "attention-lab-session", "version": 1, "text": "hi"})";
  back.model = "x";
  ASSERT_EQ(load_session_file((d / "old.json").string(), &back, &ui), "");
  EXPECT_EQ(back.model, "");
  // A session naming a model this app does not have: random weights, with a note.
  AppState app;
  EXPECT_EQ(app_load_session(app, (d / "s.json").string()), "");
  EXPECT_EQ(app.doc.model, "");
  EXPECT_NE(app.ui.status.find("reverse-8x10"), std::string::npos);
  fs::remove_all(d);
}

TEST(ModelLibrary, LoadsEveryWeightsFileOfAFolderAndNamesNewOnesUniquely) {
  const fs::path d = fs::temp_directory_path() / ("attn-models-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  ASSERT_EQ(save_weights((d / "a.safetensors").string(), *untrained(tiny(TaskKind::Reverse), "rev-a")), "");
  std::ofstream(d / "broken.safetensors") << "not a weights file";
  std::vector<ModelEntry> models;
  const std::vector<std::string> bad = load_models_dir(d.string(), &models);
  ASSERT_EQ(models.size(), 1u);
  EXPECT_EQ(models[0].model->name, "rev-a");
  EXPECT_EQ(bad.size(), 1u);
  EXPECT_TRUE(find_model(models, "rev-a"));
  EXPECT_EQ(unique_model_name(models, "rev-a"), "rev-a-2");
  EXPECT_EQ(unique_model_name(models, "new"), "new");
  EXPECT_TRUE(load_models_dir((d / "missing").string(), &models).empty());
  fs::remove_all(d);
}

TEST(TrainingJob, StopsAtTheAskedStepAndPublishesHistory) {
  TrainConfig c = tiny(TaskKind::CopyShift);
  c.steps = 40;
  TrainingJob job(c, first_example_input(c), /*start_paused=*/true);  // paused: "stops at exactly step N" needs it
  ASSERT_TRUE(job.run_until(12, 120));
  TrainingSnapshot s;
  ASSERT_TRUE(job.latest(&s));
  EXPECT_EQ(s.step, 12);
  EXPECT_TRUE(s.paused);
  EXPECT_EQ(s.loss.size(), 12u);
  EXPECT_EQ(s.steps.back(), 12.0);
  ASSERT_TRUE(s.model);
  ASSERT_TRUE(s.trace) << s.trace_error;
  EXPECT_EQ(s.trace->n(), 6);
  EXPECT_EQ(s.answer, task_answer(c.task, s.input));
  // A new example while paused is shown with the same weights.
  const std::vector<int> ex = {1, 2, 3, 4};
  job.set_example(ex);
  for (int k = 0; k < 500 && s.input != ex; ++k) {
    usleep(10000);
    job.latest(&s);
  }
  EXPECT_EQ(s.input, ex);
  EXPECT_EQ(s.step, 12);
  ASSERT_TRUE(job.run_until(c.steps, 120));
  job.latest(&s);
  EXPECT_TRUE(s.finished);
  EXPECT_EQ(s.step, 40);
  EXPECT_EQ(s.loss.size(), 40u);  // appended, not duplicated
  EXPECT_EQ(s.held_out.examples, 1000);
}

TEST(TrainingScript, TrainsWaitsUsesAndSelectsWithoutAWindow) {
  AppState app;
  recompute(app);
  Script sc;
  ASSERT_EQ(parse_script(R"([
      {"train": {"task": "reverse", "length": 5, "vocab": 6, "d_model": 16, "heads": 2, "layers": 1, "d_ff": 32,
                 "batch": 4, "steps": 25, "warmup": 5, "seed": 3}},
      {"train_wait": 10}, {"expect": {"training_step": 10, "training_finished": false}},
      {"train_example": "5 4 3 2 1"},
      {"train_wait": "done"}, {"expect": {"training_step": 25, "training_finished": true}},
      {"train_control": "use"}, {"expect": {"model": "reverse-5x6-trained", "error": ""}},
      {"model": "random"}, {"expect": {"model": ""}},
      {"model": "reverse-5x6-trained"}, {"text": "5 5 5 1 1"}, {"expect": {"error": ""}},
      {"text": "5 dog"}, {"expect": {"error": "dog"}}
    ])", &sc), "");
  ASSERT_EQ(run_all(sc, app), "");
  EXPECT_EQ(app.models.size(), 1u);
}

TEST(TrainingScript, BadTrainingActionsFailWithAMessage) {
  const char* bad[] = {
      R"([{"train": {"task": "juggle"}}])",
      R"([{"train": {"heads": 3, "d_model": 32}}])",
      R"([{"train": {"warp": 1}}])",
      R"([{"train_wait": 10}])",
      R"([{"train_control": "use"}])",
      R"([{"model": "no-such-model"}])",
      R"([{"expect": {"model": "x"}}])",
  };
  for (const char* text : bad) {
    AppState app;
    Script sc;
    ASSERT_EQ(parse_script(text, &sc), "") << text;
    const std::string e = run_all(sc, app);
    EXPECT_NE(e.find("script action 0"), std::string::npos) << text << " → " << e;
  }
}

TEST(TrainingJob, ARetiredJobEndsWithoutBlockingAndIsReaped) {
  TrainConfig c = tiny(TaskKind::Reverse);
  c.steps = 100000;  // far more than it will run
  std::shared_ptr<TrainingJob> job = std::make_shared<TrainingJob>(c, first_example_input(c));
  std::vector<std::shared_ptr<TrainingJob>> retired;
  retire_job(job, retired);
  EXPECT_FALSE(job);
  ASSERT_EQ(retired.size(), 1u);
  for (int k = 0; k < 1000 && !retired.empty(); ++k) {
    reap_jobs(retired);
    usleep(5000);
  }
  EXPECT_TRUE(retired.empty());
}

TEST(TrainedModels, UsedInTheExplorerTheyAreSavedAndBackOnTheNextStart) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("attn-user-models-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  TrainConfig c;
  c.task = {TaskKind::CopyShift, 6, 5};
  c.d_model = 8;
  c.d_ff = 8;
  Trainer t(c);
  t.step();
  auto m = std::make_shared<TrainedModel>();
  m->config = c;
  m->model = t.model();
  m->steps = 1;
  {
    AppState s;
    s.ui.io_dir = dir.string();
    const std::string name = app_use_trained_model(s, m);
    EXPECT_EQ(name, "copy-shift-6x5-trained");
    EXPECT_TRUE(fs::exists(dir / "models" / (name + ".safetensors")));
    EXPECT_NE(s.ui.status.find("Saved to"), std::string::npos) << s.ui.status;
  }
  AppState next;
  GuiOptions o;
  o.io_dir = dir.string();
  o.config_dir = (dir / "config").string();
  ASSERT_EQ(app_init(next, o), "");
  bool found = false;
  for (const ModelEntry& e : next.models)
    if (e.model && e.model->name == "copy-shift-6x5-trained") {
      found = true;
      Model a = e.model->model, b = t.model();
      EXPECT_EQ(parameters(a)[0].data[0], parameters(b)[0].data[0]);
    }
  EXPECT_TRUE(found);
  // A second model trained later gets its own name and file: nothing is overwritten.
  EXPECT_EQ(app_use_trained_model(next, std::make_shared<TrainedModel>(*m)), "copy-shift-6x5-trained-2");
  EXPECT_TRUE(fs::exists(dir / "models" / "copy-shift-6x5-trained.safetensors"));
  fs::remove_all(dir);
}

// A trained model fixes its mask (and shapes): the script refuses to set them as the app disables their controls, and
// the trace says what was applied. Scaling stays the user's: an intervention that really changes the trace.
TEST(TrainedModelControls, WhatTheModelFixesIsRefusedAndTheTraceSaysWhatWasApplied) {
  AppState app;
  auto m = std::make_shared<TrainedModel>();
  ASSERT_EQ(load_weights(std::string(ATTN_SOURCE_DIR) + "/assets/models/reverse.safetensors", m.get()), "");
  app.models.push_back({m, "shipped", nullptr});
  Script sc;
  ASSERT_EQ(parse_script(R"([{"model": ")" + m->name + R"("}, {"set": "mask", "value": "causal"},
      {"type": "mask", "value": "causal"}, {"type": "d_model", "value": 64}, {"set": "scale", "value": false}])", &sc), "");
  std::string shot;
  ASSERT_EQ(script_step(sc, app, &shot), "");
  recompute(app);
  ASSERT_EQ(app.error, "");
  EXPECT_EQ(app.traces.trace.settings.mask, MaskKind::None);  // a seq2seq encoder: trained without a mask
  for (int k = 0; k < 3; ++k) {
    const std::string e = script_step(sc, app, &shot);
    EXPECT_NE(e.find("fixed by the trained model"), std::string::npos) << e;
  }
  EXPECT_EQ(app.doc.settings.mask, MaskKind::None);
  EXPECT_EQ(app.doc.settings.d_model, m->config.d_model);
  const Mat scaled = app.traces.trace.layers[0].attn.heads[0].weights;
  ASSERT_EQ(script_step(sc, app, &shot), "");
  recompute(app);
  ASSERT_EQ(app.error, "");
  EXPECT_FALSE(app.traces.trace.settings.scale);
  EXPECT_GT((app.traces.trace.layers[0].attn.heads[0].weights - scaled).cwiseAbs().maxCoeff(), 1e-3f);
}

// Issue 13 §6: a first start runs English text through the shipped language model; random weights are one choice
// away, and the choice is remembered (settings.json) instead of the default coming back.
TEST(DefaultWeights, FirstStartSelectsTheShippedLanguageModelAndTheChoiceIsRemembered) {
  const fs::path dir = fs::temp_directory_path() / ("attn-default-weights-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  GuiOptions o;
  o.io_dir = dir.string();
  o.config_dir = (dir / "config").string();
  {
    AppState s;
    ASSERT_EQ(app_init(s, o), "");
    ASSERT_NE(find_checkpoint(s.models, kDefaultLanguageModel), nullptr) << "assets/models/wordnet-lm not loaded";
    EXPECT_EQ(s.doc.model, kDefaultLanguageModel);
    ASSERT_TRUE(s.traces.has_trace) << s.error;
    EXPECT_EQ(s.traces.trace.settings.mask, MaskKind::Causal);  // as it was trained
    EXPECT_EQ(s.traces.trace.settings.d_model, find_checkpoint(s.models, kDefaultLanguageModel)->config.d_model);
    EXPECT_EQ(app_select_weights(s, "random"), "");
    EXPECT_EQ(s.doc.model, "");
    app_shutdown(s);
  }
  {
    AppState s;
    ASSERT_EQ(app_init(s, o), "");
    EXPECT_EQ(s.doc.model, "") << "the saved choice (random weights) must win over the default";
    EXPECT_EQ(app_select_weights(s, kDefaultLanguageModel), "");
    app_shutdown(s);
  }
  {
    AppState s;
    ASSERT_EQ(app_init(s, o), "");
    EXPECT_EQ(s.doc.model, kDefaultLanguageModel);
    EXPECT_NE(app_select_weights(s, "no-such-model").find("no model called"), std::string::npos);
  }
  {
    AppState s;
    GuiOptions r = o;
    r.weights = "random";  // --weights random
    ASSERT_EQ(app_init(s, r), "");
    EXPECT_EQ(s.doc.model, "");
  }
  fs::remove_all(dir);
}
