#include "common/test_data.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

namespace fs = std::filesystem;

namespace funasr_test {

std::string FindData(const std::string& rel) {
  fs::path local = fs::path(FUNASR_TEST_DATA_DIR) / rel;
  if (fs::exists(local)) return local.string();
  return SharedData(rel);
}

std::string SharedData(const std::string& rel) {
  fs::path shared = fs::path(FUNASR_SHARED_DIR) / rel;
  if (fs::exists(shared)) return shared.string();
  return "";
}

std::string RequireData(const std::string& rel) {
  std::string p = FindData(rel);
  if (p.empty()) ADD_FAILURE() << "test data not found: " << rel;
  return p;
}

std::string TempDir(const std::string& name) {
  // ctest runs every test case as its own process, in parallel: the pid keeps two
  // processes of one test file from deleting each other's files.
  fs::path p = fs::path(FUNASR_BINARY_DIR) / "test_tmp" / (name + "." + std::to_string(getpid()));
  fs::remove_all(p);
  fs::create_directories(p);
  return p.string();
}

int64_t NpyArray::numel() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

NpyArray LoadNpy(const std::string& path) {
  std::string bytes = ReadTextFile(path);
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0)
    throw std::runtime_error("not an npy file: " + path);
  int major = static_cast<unsigned char>(bytes[6]);
  size_t header_len, header_start;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    header_start = 10;
  } else {
    uint32_t l;
    std::memcpy(&l, bytes.data() + 8, 4);
    header_len = l;
    header_start = 12;
  }
  std::string header = bytes.substr(header_start, header_len);
  size_t data_start = header_start + header_len;
  auto field = [&](const std::string& key) {
    size_t p = header.find("'" + key + "'");
    if (p == std::string::npos) throw std::runtime_error("npy header lacks " + key + ": " + path);
    return header.substr(header.find(':', p) + 1);
  };
  std::string descr = field("descr");
  descr = descr.substr(descr.find('\'') + 1);
  descr = descr.substr(0, descr.find('\''));
  if (field("fortran_order").find("False") == std::string::npos)
    throw std::runtime_error("fortran-order npy not supported: " + path);
  std::string shape_s = field("shape");
  shape_s = shape_s.substr(shape_s.find('(') + 1, shape_s.find(')') - shape_s.find('(') - 1);
  NpyArray arr;
  std::stringstream ss(shape_s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item.find_first_not_of(" ") == std::string::npos) continue;
    arr.shape.push_back(std::stoll(item));
  }
  int64_t n = arr.numel();
  const char* data = bytes.data() + data_start;
  auto need = [&](size_t elem) {
    if (bytes.size() < data_start + elem * n) throw std::runtime_error("truncated npy: " + path);
  };
  if (descr == "<f4") {
    need(4);
    arr.f32.resize(n);
    std::memcpy(arr.f32.data(), data, 4 * n);
  } else if (descr == "<f8") {
    need(8);
    arr.f32.resize(n);
    for (int64_t i = 0; i < n; ++i) {
      double v;
      std::memcpy(&v, data + 8 * i, 8);
      arr.f32[i] = static_cast<float>(v);
    }
  } else if (descr == "<i4") {
    need(4);
    arr.is_float = false;
    arr.i64.resize(n);
    for (int64_t i = 0; i < n; ++i) {
      int32_t v;
      std::memcpy(&v, data + 4 * i, 4);
      arr.i64[i] = v;
    }
  } else if (descr == "<i8") {
    need(8);
    arr.is_float = false;
    arr.i64.resize(n);
    std::memcpy(arr.i64.data(), data, 8 * n);
  } else {
    throw std::runtime_error("unsupported npy dtype " + descr + ": " + path);
  }
  return arr;
}

int64_t MappedResidentKb(const std::string& path) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool in = false;
  int64_t kb = 0;
  while (std::getline(smaps, line)) {
    // Mapping headers start "begin-end perms ... pathname"; field lines start "Name:".
    const std::string first = line.substr(0, line.find(' '));
    if (first.find('-') != std::string::npos && first.find(':') == std::string::npos) {
      in = line.size() >= path.size() &&
           line.compare(line.size() - path.size(), path.size(), path) == 0;
    } else if (in && line.rfind("Rss:", 0) == 0) {
      kb += std::stoll(line.substr(4));
    }
  }
  return kb;
}

float MaxAbsDiff(const float* a, const float* b, size_t n) {
  float m = 0;
  for (size_t i = 0; i < n; ++i) {
    float d = std::fabs(a[i] - b[i]);
    if (std::isnan(d)) return INFINITY;
    if (d > m) m = d;
  }
  return m;
}

}  // namespace funasr_test
