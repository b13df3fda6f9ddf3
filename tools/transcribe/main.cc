// funasr-transcribe: FunASR speech recognition from the command line.
//
//   funasr-transcribe --vad-model models/fsmn-vad --asr-model DIR --punc-model DIR a.wav
//
// Runs whichever stages it is given (VAD only prints speech segments; punctuation only
// punctuates --text or .txt inputs; ASR with or without VAD and punctuation transcribes).
// Exit codes: 0 all inputs done, 1 an input (or a model) failed — the others are still
// processed and each failure is reported on stderr with its file name — 2 bad usage.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "formats.h"
#include "funasr/error.h"
#include "funasr/pipeline.h"
#include "inputs.h"
#include "progress_bar.h"

namespace fs = std::filesystem;
using namespace funasr::cli;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

struct Args {
  std::vector<std::string> inputs;
  std::string vad_model, asr_model, punc_model;
  std::string hotwords, hotword_file;
  std::string format = "txt";
  std::string output_dir;
  int threads = 0;
  double batch_seconds = 300;
  int max_segment_ms = 60000;
  int max_end_silence_ms = -1;
  std::string vad_dynamic_silence;  // "on" / "off" / "" (FunASR's rule)
  std::string dtype = "auto";
  std::string text;
  std::string shard;
  bool quiet = false;
};

int Usage(const std::string& message) {
  std::cerr << "funasr-transcribe: " << message << "\nRun with --help for the options.\n";
  return kExitUsage;
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw funasr::Error(funasr::ErrorCode::kIoError, path + ": cannot read");
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Writes `content` to `path` through a temporary file and a rename, so that an output file
// is either complete or absent.
void WriteFileAtomically(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw funasr::Error(funasr::ErrorCode::kIoError, tmp + ": cannot write");
    f << content;
    f.flush();
    if (!f) throw funasr::Error(funasr::ErrorCode::kIoError, tmp + ": write failed");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw funasr::Error(funasr::ErrorCode::kIoError, path + ": cannot rename into place");
  }
}

// Text of a .txt input: its lines joined by spaces (punctuation splits on whitespace).
std::string TextOfFile(const std::string& path) {
  std::istringstream in(ReadFile(path));
  std::string line, text;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (!text.empty()) text += ' ';
    text += line;
  }
  return text;
}

class Runner {
 public:
  Runner(const Args& args, OutputFormat format, std::shared_ptr<const funasr::Pipeline> pipeline,
         std::vector<std::string> hotwords, size_t n_inputs)
      : args_(args), format_(format), pipeline_(std::move(pipeline)),
        hotwords_(std::move(hotwords)), n_inputs_(n_inputs),
        progress_(!args.quiet && ::isatty(STDERR_FILENO)) {}

  // Processes one input; false (after reporting on stderr) when it failed.
  bool Process(const InputItem& item, size_t index) {
    try {
      funasr::TranscriptionResult result;
      if (item.is_text) {
        const std::string text = item.path.empty() ? item.text : TextOfFile(item.path);
        funasr::PunctuationOutput p = pipeline_->Punctuate(text);
        result.key = item.key;
        result.has_asr = true;
        result.raw_text = text;
        result.text = std::move(p.text);
        result.punctuated = true;
        result.punc_array = std::move(p.punc_ids);
      } else {
        funasr::TranscribeOptions options;
        options.key = item.key;
        options.hotwords = hotwords_;
        options.num_threads = args_.threads;
        if (progress_.enabled()) {
          progress_.Start(item.key, index + 1, n_inputs_);
          options.on_progress = [this](const funasr::PipelineProgress& p) {
            progress_.Update(p.fraction, p.segments_decoded);
            return true;
          };
        }
        result = pipeline_->TranscribeFile(item.path, options);
        progress_.Finish();
      }
      Emit(result);
      return true;
    } catch (const std::exception& e) {
      progress_.Finish();
      std::cerr << "funasr-transcribe: " << (item.path.empty() ? "--text" : item.path) << ": "
                << e.what() << "\n";
      return false;
    }
  }

  // Closes what spans inputs (the JSON array on stdout, the jsonl file).
  void Close() {
    if (format_ == OutputFormat::kJson && args_.output_dir.empty()) {
      std::cout << (json_items_ == 0 ? "[]\n" : "\n]\n");
    }
    if (format_ == OutputFormat::kJsonl && !args_.output_dir.empty()) {
      std::string name = "results.jsonl";
      if (!args_.shard.empty()) {
        const Shard s = ParseShard(args_.shard);
        name = "results." + std::to_string(s.index) + "-of-" + std::to_string(s.count) + ".jsonl";
      }
      WriteFileAtomically((fs::path(args_.output_dir) / name).string(), jsonl_);
    }
    std::cout.flush();
  }

 private:
  void Emit(const funasr::TranscriptionResult& r) {
    const bool to_dir = !args_.output_dir.empty();
    std::string content;
    switch (format_) {
      case OutputFormat::kTxt:
        content = FormatTxt(r, !to_dir && n_inputs_ > 1);
        break;
      case OutputFormat::kJson:
        if (!to_dir) {
          // One JSON array on stdout, like AutoModel.generate's list of dicts.
          std::string item = FormatJson(r, 2);
          std::string indented = "  ";
          for (char c : item) {
            indented += c;
            if (c == '\n') indented += "  ";
          }
          std::cout << (json_items_++ == 0 ? "[\n" : ",\n") << indented;
          return;
        }
        content = "[" + FormatJson(r, -1) + "]\n";
        break;
      case OutputFormat::kJsonl:
        content = FormatJson(r, -1) + "\n";
        if (to_dir) {
          jsonl_ += content;
          return;
        }
        break;
      case OutputFormat::kSrt:
        content = FormatSrt(BuildCues(r));
        break;
      case OutputFormat::kVtt:
        content = FormatVtt(BuildCues(r));
        break;
    }
    if (to_dir) {
      WriteFileAtomically((fs::path(args_.output_dir) / (r.key + "." + FormatExtension(format_))).string(),
                          content);
    } else {
      std::cout << content;
      std::cout.flush();
    }
  }

  const Args& args_;
  OutputFormat format_;
  std::shared_ptr<const funasr::Pipeline> pipeline_;
  std::vector<std::string> hotwords_;
  size_t n_inputs_;
  ProgressBar progress_;
  size_t json_items_ = 0;
  std::string jsonl_;
};

}  // namespace

int main(int argc, char** argv) {
  Args a;
  CLI::App app{
      "funasr-transcribe: speech recognition with FunASR's released models (FSMN-VAD, "
      "Paraformer, CT-Transformer punctuation), natively.\n\n"
      "Runs the stages it is given: --vad-model alone prints speech segments; "
      "--punc-model alone punctuates --text or .txt inputs; --asr-model (with or without "
      "--vad-model and --punc-model) transcribes. Models are released FunASR directories "
      "or libfunasr native files.\n\n"
      "Exit codes: 0 ok, 1 an input or a model failed (others are still processed), "
      "2 bad usage.",
      "funasr-transcribe"};
  app.add_option("FILE", a.inputs,
                 "Audio files (any format libsndfile reads, any sample rate), '-' for standard "
                 "input, Kaldi wav.scp lists ('key path' per line, *.scp), or .txt files to "
                 "punctuate");
  app.add_option("--vad-model", a.vad_model, "FSMN-VAD model (e.g. models/fsmn-vad)");
  app.add_option("--asr-model", a.asr_model,
                 "Paraformer ASR model (Paraformer, BiCif, SeACo or contextual)");
  app.add_option("--punc-model", a.punc_model, "CT-Transformer punctuation model");
  app.add_option("--hotwords", a.hotwords,
                 "Hotwords for SeACo / contextual models, space-separated: \"w1 w2\"");
  app.add_option("--hotword-file", a.hotword_file,
                 "File with one hotword per line (a trailing numeric weight is ignored)")
      ->check(CLI::ExistingFile);
  app.add_option("--format", a.format,
                 "Output: txt (text; VAD: 'start_ms<TAB>end_ms' lines), json (FunASR AutoModel "
                 "result dicts: key, text, timestamp, sentence_info; VAD: value), jsonl (one "
                 "dict per line), srt, vtt (subtitles from sentences)")
      ->check(CLI::IsMember({"txt", "json", "jsonl", "srt", "vtt"}))
      ->capture_default_str();
  app.add_option("--output-dir", a.output_dir,
                 "Write <key>.<format> per input here (jsonl: results.jsonl) instead of stdout");
  app.add_option("--threads", a.threads, "Compute threads per input (0 = all physical cores)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  app.add_option("--batch-seconds", a.batch_seconds,
                 "ASR batch duration budget in seconds (FunASR batch_size_s); 0 = one segment "
                 "at a time")
      ->check(CLI::Range(0.0, 36000.0))
      ->capture_default_str();
  app.add_option("--max-segment-ms", a.max_segment_ms,
                 "Longest speech segment in ms (VAD max_single_segment_time; without VAD the "
                 "audio is cut at quiet points into pieces this long)")
      ->check(CLI::Range(1000, 3600000))
      ->capture_default_str();
  app.add_option("--max-end-silence-ms", a.max_end_silence_ms,
                 "Silence in ms that ends a VAD segment (default: the model's, 800); setting "
                 "it turns the dynamic schedule off, as in FunASR")
      ->check(CLI::Range(0, 60000));
  app.add_option("--vad-dynamic-silence", a.vad_dynamic_silence,
                 "FunASR's dynamic end-silence schedule: on (default, as FunASR) or off "
                 "(classic fixed silence)")
      ->check(CLI::IsMember({"on", "off"}));
  app.add_option("--dtype", a.dtype, "ASR weights: auto (as stored), f32, int8 (native files)")
      ->check(CLI::IsMember({"auto", "f32", "int8"}))
      ->capture_default_str();
  app.add_option("--text", a.text, "Text to punctuate (with --punc-model)");
  app.add_option("--shard", a.shard,
                 "Process only inputs j with j % N == i (i/N, e.g. 0/4) to split a list "
                 "across machines");
  app.add_flag("--quiet,-q", a.quiet, "No progress bar (it is shown only on a terminal)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return Usage(e.what());
  }

  // ---- usage checks (exit 2) ----
  const OutputFormat format = *ParseFormat(a.format);
  if (a.vad_model.empty() && a.asr_model.empty() && a.punc_model.empty()) {
    return Usage("give at least one model: --vad-model, --asr-model or --punc-model");
  }
  if (a.inputs.empty() && a.text.empty()) return Usage("no input: give FILE... or --text");
  if (!a.text.empty() && a.punc_model.empty()) return Usage("--text needs --punc-model");
  if (a.vad_dynamic_silence == "on" && a.max_end_silence_ms >= 0) {
    return Usage("--max-end-silence-ms sets a fixed end silence; it cannot be combined with "
                 "--vad-dynamic-silence on");
  }
  std::vector<InputItem> items;
  Shard shard;
  try {
    items = ExpandInputs(a.inputs);
    if (!a.shard.empty()) {
      shard = ParseShard(a.shard);
      items = SelectShard(items, shard);
    }
  } catch (const std::invalid_argument& e) {
    return Usage(e.what());
  }
  if (!a.text.empty()) {
    InputItem t;
    t.key = "text";
    t.text = a.text;
    t.is_text = true;
    items.push_back(t);
  }
  bool has_audio = false, has_text = false;
  for (const auto& item : items) (item.is_text ? has_text : has_audio) = true;
  if (has_text && a.punc_model.empty()) return Usage(".txt inputs need --punc-model");
  if (has_audio && a.asr_model.empty() && a.vad_model.empty()) {
    return Usage("audio inputs need --asr-model or --vad-model");
  }
  if ((format == OutputFormat::kSrt || format == OutputFormat::kVtt) &&
      (a.asr_model.empty() || has_text)) {
    return Usage("--format srt/vtt needs --asr-model and audio inputs");
  }
  if ((format == OutputFormat::kSrt || format == OutputFormat::kVtt) && items.size() > 1 &&
      a.output_dir.empty()) {
    return Usage("--format srt/vtt with several inputs needs --output-dir");
  }
  if (!a.output_dir.empty()) {
    std::set<std::string> keys;
    for (const auto& item : items) {
      if (!keys.insert(item.key).second) {
        return Usage("two inputs have the key '" + item.key +
                     "': their outputs would overwrite each other in --output-dir");
      }
    }
  }
  std::vector<std::string> hotwords;
  try {
    hotwords = ParseHotwords(a.hotwords, a.hotword_file.empty() ? "" : ReadFile(a.hotword_file));
  } catch (const std::exception& e) {
    return Usage(e.what());
  }

  // ---- models (exit 1 on failure) ----
  funasr::PipelineConfig config;
  config.vad_model = a.vad_model;
  config.asr_model = a.asr_model;
  config.punc_model = a.punc_model;
  config.dtype = a.dtype;
  config.options.num_threads = a.threads;
  config.options.batch_seconds = a.batch_seconds;
  config.options.max_segment_ms = a.max_segment_ms;
  config.options.max_end_silence_ms = a.max_end_silence_ms;
  config.options.vad_dynamic_silence = a.vad_dynamic_silence != "off";
  std::shared_ptr<const funasr::Pipeline> pipeline;
  try {
    pipeline = funasr::Pipeline::Load(config);
    if (!a.output_dir.empty()) fs::create_directories(a.output_dir);
  } catch (const std::exception& e) {
    std::cerr << "funasr-transcribe: " << e.what() << "\n";
    return kExitFailed;
  }
  if (!hotwords.empty() && !pipeline->asr_supports_hotwords()) {
    std::cerr << "funasr-transcribe: warning: the ASR model takes no hotwords (only SeACo and "
                 "contextual Paraformer do); --hotwords ignored\n";
  }

  Runner runner(a, format, pipeline, hotwords, items.size());
  size_t failed = 0;
  for (size_t i = 0; i < items.size(); ++i) failed += runner.Process(items[i], i) ? 0 : 1;
  try {
    runner.Close();
  } catch (const std::exception& e) {
    std::cerr << "funasr-transcribe: " << e.what() << "\n";
    return kExitFailed;
  }
  if (failed > 0) {
    std::cerr << "funasr-transcribe: " << failed << " of " << items.size() << " input(s) failed\n";
    return kExitFailed;
  }
  return kExitOk;
}
