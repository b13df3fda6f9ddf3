// funasr-transcribe inputs: audio files, "-" (standard input), Kaldi wav.scp lists, text
// for punctuation, and the --shard split. Pure functions of their arguments (unit-tested).
#pragma once

#include <string>
#include <vector>

namespace funasr::cli {

struct InputItem {
  std::string key;   // result key: wav.scp key, or the file name without extension
  std::string path;  // audio path, "-" for standard input, or a .txt file
  std::string text;  // --text input (path empty)
  bool is_text = false;
};

// "i/N" with 0 <= i < N; throws std::invalid_argument with a message otherwise.
struct Shard {
  int index = 0;
  int count = 1;
};
Shard ParseShard(const std::string& spec);

// Parses a Kaldi wav.scp ("key path" per line; blank lines and lines starting with '#'
// skipped). `origin` names the list in error messages (std::invalid_argument for a line
// without a path or a repeated key).
std::vector<InputItem> ParseWavScp(const std::string& content, const std::string& origin);

// Expands the command-line inputs: "*.scp" files are read as wav.scp lists (paths used as
// written, i.e. relative to the working directory as in Kaldi and FunASR), "*.txt" files
// are text, everything else is audio. std::invalid_argument if a list cannot be read.
std::vector<InputItem> ExpandInputs(const std::vector<std::string>& args);

// Entries j with j % count == index (round robin, so long sorted lists balance).
std::vector<InputItem> SelectShard(const std::vector<InputItem>& items, const Shard& shard);

// Hotwords from --hotwords ("w1 w2") and --hotword-file contents: one hotword entry per
// line, '#' comments and blank lines skipped, a trailing numeric weight ("阿里巴巴 20", as
// FunASR's runtime files have) dropped; every whitespace-separated word is one hotword.
std::vector<std::string> ParseHotwords(const std::string& words, const std::string& file_content);

}  // namespace funasr::cli
