// ConfigReader (declared in model_files.h): typed access to config.yaml values.
#include <yaml-cpp/yaml.h>

#include "core/check.h"
#include "io/model_files.h"

namespace funasr::io {
namespace {

std::string Describe(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Scalar: return "'" + n.Scalar() + "'";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Null: return "null";
    default: return "nothing";
  }
}

bool ParseInt(const YAML::Node& n, int64_t* out) {
  if (!n.IsScalar()) return false;
  try {
    *out = n.as<int64_t>();
    return true;
  } catch (const YAML::Exception&) {
    return false;
  }
}
bool ParseDouble(const YAML::Node& n, double* out) {
  if (!n.IsScalar()) return false;
  try {
    *out = n.as<double>();
    return true;
  } catch (const YAML::Exception&) {
    return false;
  }
}
bool ParseBool(const YAML::Node& n, bool* out) {
  if (!n.IsScalar()) return false;
  try {
    *out = n.as<bool>();
    return true;
  } catch (const YAML::Exception&) {
  }
  // FunASR configs sometimes spell flags as 0/1 (Python truthiness).
  const std::string& s = n.Scalar();
  if (s == "0" || s == "1") {
    *out = s == "1";
    return true;
  }
  return false;
}

}  // namespace

ConfigReader::ConfigReader(const YAML::Node& node, std::string file, std::string path_prefix)
    : node_(node), file_(std::move(file)), prefix_(std::move(path_prefix)) {}

bool ConfigReader::Has(const std::string& key) const {
  const YAML::Node& n = node_;
  if (!n.IsDefined() || !n.IsMap()) return false;
  YAML::Node v = n[key];
  return v.IsDefined() && !v.IsNull();
}

void ConfigReader::Fail(const std::string& key, const std::string& message) const {
  ::funasr::Fail(ErrorCode::kFormatError, file_, ": ", prefix_, key, ": ", message);
}

ConfigReader ConfigReader::Section(const std::string& key) const {
  if (!Has(key)) return ConfigReader(YAML::Node(YAML::NodeType::Map), file_, prefix_ + key + ".");
  const YAML::Node& n = node_;
  YAML::Node v = n[key];
  if (!v.IsMap()) Fail(key, "expected a mapping, found " + Describe(v));
  return ConfigReader(v, file_, prefix_ + key + ".");
}

int64_t ConfigReader::GetInt(const std::string& key, int64_t default_value) const {
  if (!Has(key)) return default_value;
  const YAML::Node& n = node_;
  YAML::Node v = n[key];
  int64_t out;
  if (!ParseInt(v, &out)) Fail(key, "expected an integer, found " + Describe(v));
  return out;
}

double ConfigReader::GetDouble(const std::string& key, double default_value) const {
  if (!Has(key)) return default_value;
  const YAML::Node& n = node_;
  YAML::Node v = n[key];
  double out;
  if (!ParseDouble(v, &out)) Fail(key, "expected a number, found " + Describe(v));
  return out;
}

bool ConfigReader::GetBool(const std::string& key, bool default_value) const {
  if (!Has(key)) return default_value;
  const YAML::Node& n = node_;
  YAML::Node v = n[key];
  bool out;
  if (!ParseBool(v, &out)) Fail(key, "expected true/false, found " + Describe(v));
  return out;
}

std::string ConfigReader::GetString(const std::string& key, const std::string& default_value) const {
  if (!Has(key)) return default_value;
  const YAML::Node& n = node_;
  YAML::Node v = n[key];
  if (!v.IsScalar()) Fail(key, "expected a string, found " + Describe(v));
  return v.Scalar();
}

std::vector<int64_t> ConfigReader::GetIntList(const std::string& key,
                                              const std::vector<int64_t>& def) const {
  if (!Has(key)) return def;
  const YAML::Node& n = node_;
  YAML::Node v = n[key];
  if (!v.IsSequence()) Fail(key, "expected a list of integers, found " + Describe(v));
  std::vector<int64_t> out;
  for (size_t i = 0; i < v.size(); ++i) {
    int64_t x;
    if (!ParseInt(v[i], &x))
      Fail(key + "[" + std::to_string(i) + "]", "expected an integer, found " + Describe(v[i]));
    out.push_back(x);
  }
  return out;
}

std::vector<double> ConfigReader::GetDoubleList(const std::string& key,
                                                const std::vector<double>& def) const {
  if (!Has(key)) return def;
  const YAML::Node& n = node_;
  YAML::Node v = n[key];
  if (!v.IsSequence()) Fail(key, "expected a list of numbers, found " + Describe(v));
  std::vector<double> out;
  for (size_t i = 0; i < v.size(); ++i) {
    double x;
    if (!ParseDouble(v[i], &x))
      Fail(key + "[" + std::to_string(i) + "]", "expected a number, found " + Describe(v[i]));
    out.push_back(x);
  }
  return out;
}

std::vector<std::string> ConfigReader::GetStringList(const std::string& key,
                                                     const std::vector<std::string>& def) const {
  if (!Has(key)) return def;
  const YAML::Node& n = node_;
  YAML::Node v = n[key];
  if (!v.IsSequence()) Fail(key, "expected a list of strings, found " + Describe(v));
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].IsScalar())
      Fail(key + "[" + std::to_string(i) + "]", "expected a string, found " + Describe(v[i]));
    out.push_back(v[i].Scalar());
  }
  return out;
}

}  // namespace funasr::io
