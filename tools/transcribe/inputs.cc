#include "inputs.h"

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace funasr::cli {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string Stem(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  const size_t dot = name.find_last_of('.');
  if (dot != std::string::npos && dot > 0) name = name.substr(0, dot);
  return name;
}

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

bool IsNumber(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

}  // namespace

Shard ParseShard(const std::string& spec) {
  Shard shard;
  const size_t slash = spec.find('/');
  try {
    if (slash == std::string::npos) throw std::invalid_argument("");
    size_t used = 0;
    shard.index = std::stoi(spec.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument("");
    const std::string count = spec.substr(slash + 1);
    shard.count = std::stoi(count, &used);
    if (used != count.size()) throw std::invalid_argument("");
  } catch (const std::exception&) {
    throw std::invalid_argument("--shard: expected i/N (e.g. 0/4), got '" + spec + "'");
  }
  if (shard.count < 1 || shard.index < 0 || shard.index >= shard.count) {
    throw std::invalid_argument("--shard: need 0 <= i < N, got '" + spec + "'");
  }
  return shard;
}

std::vector<InputItem> ParseWavScp(const std::string& content, const std::string& origin) {
  std::vector<InputItem> items;
  std::set<std::string> keys;
  std::istringstream in(content);
  std::string line;
  for (int no = 1; std::getline(in, line); ++no) {
    line = Trim(line);
    if (line.empty() || line[0] == '#') continue;
    const size_t sep = line.find_first_of(" \t");
    if (sep == std::string::npos) {
      throw std::invalid_argument(origin + ":" + std::to_string(no) + ": expected 'key path'");
    }
    InputItem item;
    item.key = line.substr(0, sep);
    item.path = Trim(line.substr(sep + 1));
    if (!keys.insert(item.key).second) {
      throw std::invalid_argument(origin + ":" + std::to_string(no) + ": key '" + item.key +
                                  "' repeated");
    }
    items.push_back(std::move(item));
  }
  return items;
}

std::vector<InputItem> ExpandInputs(const std::vector<std::string>& args) {
  std::vector<InputItem> items;
  for (const auto& arg : args) {
    if (EndsWith(arg, ".scp")) {
      std::ifstream f(arg);
      if (!f) throw std::invalid_argument(arg + ": cannot read the wav.scp list");
      std::stringstream ss;
      ss << f.rdbuf();
      for (auto& item : ParseWavScp(ss.str(), arg)) items.push_back(std::move(item));
      continue;
    }
    InputItem item;
    item.path = arg;
    item.key = arg == "-" ? "stdin" : Stem(arg);
    item.is_text = EndsWith(arg, ".txt");
    items.push_back(std::move(item));
  }
  return items;
}

std::vector<InputItem> SelectShard(const std::vector<InputItem>& items, const Shard& shard) {
  std::vector<InputItem> out;
  for (size_t j = 0; j < items.size(); ++j) {
    if (static_cast<int>(j % static_cast<size_t>(shard.count)) == shard.index) out.push_back(items[j]);
  }
  return out;
}

std::vector<std::string> ParseHotwords(const std::string& words, const std::string& file_content) {
  std::vector<std::string> out;
  std::istringstream w(words);
  for (std::string word; w >> word;) out.push_back(word);
  std::istringstream in(file_content);
  std::string line;
  while (std::getline(in, line)) {
    line = Trim(line);
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::istringstream ls(line);
    for (std::string f; ls >> f;) fields.push_back(f);
    if (fields.size() >= 2 && IsNumber(fields.back())) fields.pop_back();
    out.insert(out.end(), fields.begin(), fields.end());
  }
  return out;
}

}  // namespace funasr::cli
