// CT-Transformer punctuation at the real size of punc_ct-transformer_zh-cn-common-vocab272727
// (vocabulary 272,727, embed 256, 4 SAN-M layers, 8 heads, FFN 1024; realtime: 3 layers,
// sanm_shfit 5) with seeded random weights: vocabulary load time and memory, whole-model
// load time (released directory with model.pt, and the native file), and throughput on
// long text (offline) and on a stream of short pieces (realtime).
//
// The vocabulary is the real tokens.json from ../shared/models/ct-punc-assets/ (or
// $FUNASR_PUNC_TOKENS); without it a synthetic list of 272,727 words of the same length
// distribution is used. The random models are written once under $TMPDIR.
#include <benchmark/benchmark.h>

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <unordered_map>
#include <malloc.h>
#include <unistd.h>
#include <vector>

#include "funasr/punctuation.h"
#include "io/model_contents.h"
#include "io/native_model_writer.h"
#include "io/token_list.h"
#include "io/torch_checkpoint_writer.h"
#include "text/punctuation_model.h"
#include "text/token_index.h"

namespace fs = std::filesystem;
using namespace funasr;

namespace {

constexpr int64_t kVocab = 272727, kEmbed = 256, kHeads = 8, kFfn = 1024, kKernel = 11;

// Heap bytes in use (glibc: small blocks + mmapped large blocks), in MB.
double HeapMb() {
  const struct mallinfo2 mi = mallinfo2();
  return static_cast<double>(mi.uordblks + mi.hblkhd) / 1048576.0;
}
// Resident set size in MB (includes memory-mapped model files).
double ResidentMb() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / 1048576.0;
}

fs::path SourceDir() { return fs::path(__FILE__).parent_path().parent_path(); }

std::string TokensPath() {
  if (const char* env = std::getenv("FUNASR_PUNC_TOKENS")) return env;
  fs::path p = SourceDir() / ".." / "shared" / "models" / "ct-punc-assets" / "tokens.json";
  return fs::exists(p) ? p.string() : "";
}

// The real vocabulary, or a synthetic one with ids 0..2 = <blank> <s> </s>, last = <unk>.
const std::vector<std::string>& Vocabulary() {
  static const std::vector<std::string> tokens = [] {
    const std::string path = TokensPath();
    if (!path.empty()) return io::LoadTokenList(path);
    std::fprintf(stderr, "punc_bench: real tokens.json not found, using a synthetic vocabulary\n");
    std::vector<std::string> t = {"<blank>", "<s>", "</s>"};
    std::mt19937 rng(7);
    for (int64_t i = 3; static_cast<int64_t>(t.size()) < kVocab - 1; ++i) {
      std::string w = "w" + std::to_string(i);
      const int extra = static_cast<int>(rng() % 6);
      for (int k = 0; k < extra; ++k) w.push_back(static_cast<char>('a' + rng() % 26));
      t.push_back(w);
    }
    t.push_back("<unk>");
    return t;
  }();
  return tokens;
}

YAML::Node Config(bool realtime) {
  YAML::Node c;
  c["model"] = realtime ? "CTTransformerStreaming" : "CTTransformer";
  c["model_conf"]["embed_unit"] = kEmbed;
  c["model_conf"]["att_unit"] = kEmbed;
  for (const char* p : {"<unk>", "_", "，", "。", "？", "、"}) c["model_conf"]["punc_list"].push_back(p);
  c["model_conf"]["sentence_end_id"] = 3;
  c["encoder"] = realtime ? "SANMVadEncoder" : "SANMEncoder";
  YAML::Node e = c["encoder_conf"];
  e["input_size"] = kEmbed;
  e["output_size"] = kEmbed;
  e["attention_heads"] = kHeads;
  e["linear_units"] = kFfn;
  e["num_blocks"] = realtime ? 3 : 4;
  e["input_layer"] = "pe";
  e["normalize_before"] = true;
  e["kernel_size"] = kKernel;
  e["sanm_shfit"] = realtime ? 5 : 0;
  e["selfattention_layer_type"] = "sanm";
  c["tokenizer"] = "CharTokenizer";
  c["tokenizer_conf"]["unk_symbol"] = "<unk>";
  return c;
}

// Seeded random weights with the checkpoint's names and shapes (spec §4.3).
std::vector<io::NamedTensor> RandomWeights(bool realtime) {
  std::mt19937 rng(realtime ? 3002 : 3001);
  std::normal_distribution<float> normal(0.f, 1.f);
  std::vector<io::NamedTensor> out;
  auto add = [&](const std::string& name, const Shape& shape, float scale, float offset = 0) {
    std::vector<float> v(static_cast<size_t>(ShapeNumel(shape)));
    for (float& x : v) x = offset + scale * normal(rng);
    out.push_back({name, Tensor::FromVector(shape, v)});
  };
  const int64_t d = kEmbed;
  add("embed.weight", {kVocab, d}, 0.05f);
  const int blocks = realtime ? 3 : 4;
  for (int l = 0; l < blocks; ++l) {
    const std::string p =
        l == 0 ? std::string("encoder.encoders0.0") : "encoder.encoders." + std::to_string(l - 1);
    const float s = 1.f / std::sqrt(static_cast<float>(d));
    add(p + ".self_attn.linear_q_k_v.weight", {3 * d, d}, s);
    add(p + ".self_attn.linear_q_k_v.bias", {3 * d}, 0.01f);
    add(p + ".self_attn.fsmn_block.weight", {d, 1, kKernel}, 0.1f);
    add(p + ".self_attn.linear_out.weight", {d, d}, s);
    add(p + ".self_attn.linear_out.bias", {d}, 0.01f);
    add(p + ".feed_forward.w_1.weight", {kFfn, d}, s);
    add(p + ".feed_forward.w_1.bias", {kFfn}, 0.01f);
    add(p + ".feed_forward.w_2.weight", {d, kFfn}, 1.f / std::sqrt(static_cast<float>(kFfn)));
    add(p + ".feed_forward.w_2.bias", {d}, 0.01f);
    add(p + ".norm1.weight", {d}, 0.f, 1.f);
    add(p + ".norm1.bias", {d}, 0.f);
    add(p + ".norm2.weight", {d}, 0.f, 1.f);
    add(p + ".norm2.bias", {d}, 0.f);
  }
  add("encoder.after_norm.weight", {d}, 0.f, 1.f);
  add("encoder.after_norm.bias", {d}, 0.f);
  add("decoder.weight", {6, d}, 0.3f);
  // Class mix roughly like a real model: mostly "_", some commas and sentence ends.
  out.push_back({"decoder.bias", Tensor::FromVector({6}, {-30.f, 1.5f, 0.5f, 0.2f, -0.5f, -0.2f})});
  return out;
}

fs::path BenchDir() {
  const char* tmp = std::getenv("TMPDIR");
  return fs::path(tmp ? tmp : "/tmp") / "funasr_punc_bench";
}

// The offline model as a released directory (config.yaml, model.pt, tokens.json), written
// once, and the same model as a native file.
const std::string& OfflineModelDir() {
  static const std::string dir = [] {
    const fs::path d = BenchDir() / "ct-punc-vocab272727-random";
    if (!fs::exists(d / "model.pt")) {
      fs::create_directories(d);
      std::ofstream(d / "config.yaml") << Config(false);
      const std::string tokens = TokensPath();
      if (!tokens.empty()) {
        fs::copy_file(tokens, d / "tokens.json", fs::copy_options::overwrite_existing);
      } else {
        std::ofstream out(d / "tokens.json");
        out << "[";
        for (size_t i = 0; i < Vocabulary().size(); ++i)
          out << (i ? ",\"" : "\"") << Vocabulary()[i] << "\"";
        out << "]";
      }
      io::SaveTorchCheckpoint((d / "model.pt.tmp").string(), RandomWeights(false));
      fs::rename(d / "model.pt.tmp", d / "model.pt");
    }
    return d.string();
  }();
  return dir;
}

const std::string& OfflineNativeFile() {
  static const std::string file = [] {
    const fs::path f = BenchDir() / "ct-punc-vocab272727-random.funasr";
    if (!fs::exists(f))
      io::WriteNativeModel(*io::ModelFiles::Open(OfflineModelDir()), f.string(),
                           io::NativeDType::kF32);
    return f.string();
  }();
  return file;
}

std::shared_ptr<const PunctuationModel> InMemoryModel(bool realtime, int threads) {
  io::ModelContents c;
  c.path = realtime ? "random-realtime" : "random-offline";
  c.config_path = c.path + "/config.yaml";
  c.config = Config(realtime);
  c.model_class = realtime ? "CTTransformerStreaming" : "CTTransformer";
  for (io::NamedTensor& t : RandomWeights(realtime)) {
    c.Add(t.name, io::StoredTensor{t.tensor, Tensor()});
  }
  c.tokens = Vocabulary();
  PunctuationOptions o;
  o.num_threads = threads;
  return text::MakePunctuationModel(*io::MakeModelFiles(std::move(c)), o);
}

// Mixed Chinese/English text of about `chars` characters (lines of FunASR's
// punc_example.txt when available).
std::string LongText(size_t chars) {
  std::vector<std::string> lines;
  std::ifstream in(SourceDir() / ".." / "shared" / "models" / "ct-punc-assets" / "punc_example.txt");
  for (std::string line; std::getline(in, line);) {
    const size_t tab = line.find('\t');
    if (tab != std::string::npos) lines.push_back(line.substr(tab + 1));
  }
  if (lines.empty())
    lines = {"跨境河流是养育沿岸人民的生命之源长期以来为帮助下游地区防灾减灾",
             "那今天的会就到这里吧 happy new year 明年见"};
  std::string text;
  size_t n = 0;
  for (size_t i = 0; n < chars; ++i) {
    const std::string& l = lines[i % lines.size()];
    text += l;
    text += ' ';
    for (unsigned char c : l) n += (c & 0xC0) != 0x80;
  }
  return text;
}

// ---- vocabulary -----------------------------------------------------------------------

void BM_VocabParseTokensJson(benchmark::State& state) {
  const std::string path = TokensPath();
  if (path.empty()) return state.SkipWithError("real tokens.json not found");
  for (auto _ : state) benchmark::DoNotOptimize(io::LoadTokenList(path));
  state.counters["tokens"] = static_cast<double>(Vocabulary().size());
}
BENCHMARK(BM_VocabParseTokensJson)->Unit(benchmark::kMillisecond);

void BM_VocabIndexBuild(benchmark::State& state) {
  const std::vector<std::string>& tokens = Vocabulary();
  size_t bytes = 0;
  double heap = 0;
  for (auto _ : state) {
    const double before = HeapMb();
    text::TokenIndex index = text::TokenIndex::Build(tokens, "bench");
    heap = HeapMb() - before;
    bytes = index.MemoryBytes();
    benchmark::DoNotOptimize(index);
  }
  state.counters["heap_MB"] = heap;
  state.counters["tokens"] = static_cast<double>(tokens.size());
  state.counters["index_MB"] = static_cast<double>(bytes) / 1048576.0;
  // What the token list itself occupies as std::vector<std::string> (the io layer's form).
  size_t list = tokens.capacity() * sizeof(std::string);
  for (const std::string& t : tokens) list += t.capacity() > 15 ? t.capacity() + 1 : 0;
  state.counters["token_list_MB"] = static_cast<double>(list) / 1048576.0;
}
BENCHMARK(BM_VocabIndexBuild)->Unit(benchmark::kMillisecond);

// For comparison: the obvious std::unordered_map<std::string, int>.
void BM_VocabUnorderedMapBuild(benchmark::State& state) {
  const std::vector<std::string>& tokens = Vocabulary();
  double heap = 0;
  for (auto _ : state) {
    const double before = HeapMb();
    std::unordered_map<std::string, int> m;
    m.reserve(tokens.size());
    for (size_t i = 0; i < tokens.size(); ++i) m.emplace(tokens[i], static_cast<int>(i));
    heap = HeapMb() - before;
    benchmark::DoNotOptimize(m);
  }
  state.counters["heap_MB"] = heap;
}
BENCHMARK(BM_VocabUnorderedMapBuild)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_VocabLookup(benchmark::State& state) {
  const std::vector<std::string>& tokens = Vocabulary();
  const text::TokenIndex index = text::TokenIndex::Build(tokens, "bench");
  std::vector<std::string> queries;
  std::mt19937 rng(1);
  for (int i = 0; i < 4096; ++i) {
    std::string q = tokens[rng() % tokens.size()];
    if (i % 4 == 0) q += "#";  // a miss
    queries.push_back(q);
  }
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(index.Find(queries[i++ & 4095]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VocabLookup);

// ---- whole model load -----------------------------------------------------------------

void LoadBench(benchmark::State& state, const std::string& path) {
  double heap = 0, rss = 0;
  size_t bytes = 0;
  for (auto _ : state) {
    const double heap_before = HeapMb(), rss_before = ResidentMb();
    auto model = PunctuationModel::Load(path);
    heap = HeapMb() - heap_before;
    rss = std::max(rss, ResidentMb() - rss_before);
    bytes = model->memory_bytes();
    benchmark::DoNotOptimize(model);
  }
  state.counters["model_MB"] = static_cast<double>(bytes) / 1048576.0;  // weights + index
  state.counters["heap_MB"] = heap;   // heap kept by the loaded model
  state.counters["rss_delta_MB"] = rss;  // incl. mapped file pages touched
}

void BM_LoadReleasedDirectory(benchmark::State& state) { LoadBench(state, OfflineModelDir()); }
BENCHMARK(BM_LoadReleasedDirectory)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_LoadNativeFile(benchmark::State& state) { LoadBench(state, OfflineNativeFile()); }
BENCHMARK(BM_LoadNativeFile)->Unit(benchmark::kMillisecond)->Iterations(3);

// ---- throughput -----------------------------------------------------------------------

void BM_PunctuateLongText(benchmark::State& state) {
  auto m = InMemoryModel(false, static_cast<int>(state.range(1)));
  const std::string text = LongText(static_cast<size_t>(state.range(0)));
  size_t words = 0;
  for (auto _ : state) words = m->Punctuate(text).words.size();
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(words));
  state.counters["words"] = static_cast<double>(words);
  state.counters["chars_per_s"] = benchmark::Counter(
      static_cast<double>(state.range(0)) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PunctuateLongText)
    ->Args({10000, 1})
    ->Args({2000, 1})
    ->Args({2000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_StreamPieces(benchmark::State& state) {
  auto model = InMemoryModel(true, static_cast<int>(state.range(0)));
  const std::string text = LongText(2000);
  // ~10-character pieces, as a streaming recognizer would emit them.
  std::vector<std::string> pieces;
  for (size_t i = 0; i < text.size();) {
    size_t j = i, chars = 0;
    while (j < text.size() && chars < 10) {
      ++j;
      while (j < text.size() && (static_cast<unsigned char>(text[j]) & 0xC0) == 0x80) ++j;
      ++chars;
    }
    pieces.push_back(text.substr(i, j - i));
    i = j;
  }
  for (auto _ : state) {
    auto stream = model->CreateStream();
    for (const std::string& p : pieces) benchmark::DoNotOptimize(stream->Punctuate(p));
  }
  state.counters["pieces_per_s"] = benchmark::Counter(
      static_cast<double>(pieces.size()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_StreamPieces)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
