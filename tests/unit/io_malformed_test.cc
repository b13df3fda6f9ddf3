// Malformed model inputs give a clear funasr::Error naming the problem, never a crash.
// Every corrupt input is generated here from the good FSMN-VAD directory.
#include <gtest/gtest.h>

#include <filesystem>
#include <cstring>
#include <fstream>

#include "common/test_data.h"
#include "io/model_files.h"
#include "io/torch_checkpoint.h"
#include "io/torch_checkpoint_writer.h"
#include "io/torch_pickle.h"
#include "io/zip_archive.h"
#include "io/zip_writer.h"

namespace fs = std::filesystem;

namespace funasr::io {
namespace {

struct Caught {
  ErrorCode code = ErrorCode::kOk;
  std::string message = "(no error)";
};

template <typename F>
Caught Catch(F&& f) {
  Caught c;
  try {
    f();
  } catch (const Error& e) {
    c.code = e.code();
    c.message = e.what();
  }
  return c;
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A copy of the real FSMN-VAD directory whose files the test may then damage.
std::string CopyVad(const std::string& name) {
  std::string src = funasr_test::RequireData("models/fsmn-vad");
  std::string dst = funasr_test::TempDir("io_malformed_" + name);
  for (const auto& e : fs::directory_iterator(src))
    fs::copy_file(e.path(), fs::path(dst) / e.path().filename(), fs::copy_options::overwrite_existing);
  fs::permissions(dst, fs::perms::owner_all, fs::perm_options::add);
  for (const auto& e : fs::directory_iterator(dst))
    fs::permissions(e.path(), fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::add);
  return dst;
}

// The members of the real model.pt, so that tests can rewrite one of them.
struct Members {
  std::vector<std::string> names;
  std::vector<std::string> bytes;
  std::string& Get(const std::string& suffix) {
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i].size() >= suffix.size() &&
          names[i].compare(names[i].size() - suffix.size(), suffix.size(), suffix) == 0)
        return bytes[i];
    throw std::runtime_error("no member " + suffix);
  }
  void Write(const std::string& path) const {
    std::vector<ZipMember> m;
    for (size_t i = 0; i < names.size(); ++i) m.push_back({names[i], bytes[i].data(), bytes[i].size()});
    WriteStoredZip(path, m);
  }
};

Members ReadMembers(const std::string& path) {
  ZipArchive z = ZipArchive::OpenFile(path);
  Members m;
  for (size_t i = 0; i < z.entries().size(); ++i) {
    m.names.push_back(z.entries()[i]);
    m.bytes.push_back(z.ReadEntryString(static_cast<int64_t>(i), 1 << 30));
  }
  return m;
}

void ReplaceOnce(std::string& s, const std::string& from, const std::string& to) {
  size_t p = s.find(from);
  ASSERT_NE(p, std::string::npos) << from;
  s.replace(p, from.size(), to);
}

Caught OpenDir(const std::string& dir) {
  return Catch([&] { ModelFiles::Open(dir); });
}

TEST(Malformed, TruncatedZip) {
  std::string dir = CopyVad("truncated");
  std::string pt = dir + "/model.pt";
  std::string bytes = funasr_test::ReadTextFile(pt);
  for (size_t keep : {bytes.size() / 2, bytes.size() - 10, size_t{100}, size_t{0}}) {
    WriteFile(pt, bytes.substr(0, keep));
    Caught c = OpenDir(dir);
    EXPECT_EQ(c.code, ErrorCode::kFormatError) << keep << ": " << c.message;
    EXPECT_NE(c.message.find("model.pt"), std::string::npos) << c.message;
  }
}

TEST(Malformed, WrongMagic) {
  std::string dir = CopyVad("magic");
  std::string bytes = funasr_test::ReadTextFile(dir + "/model.pt");
  bytes[0] = 'X';
  bytes[1] = 'Y';
  WriteFile(dir + "/model.pt", bytes);
  Caught c = OpenDir(dir);
  // libzip locates the archive by its end record; the damaged local header must still be
  // noticed (consistency check) rather than read.
  EXPECT_EQ(c.code, ErrorCode::kFormatError) << c.message;
  EXPECT_NE(c.message.find("model.pt"), std::string::npos) << c.message;
  WriteFile(dir + "/model.pt", "this is not a checkpoint at all");
  c = OpenDir(dir);
  EXPECT_NE(c.message.find("not a zip archive"), std::string::npos) << c.message;
  // A single file that is neither a directory nor a native model.
  c = Catch([&] { ModelFiles::Open(dir + "/am.mvn"); });
  EXPECT_EQ(c.code, ErrorCode::kFormatError) << c.message;
}

TEST(Malformed, PickleWithUnknownGlobal) {
  std::string dir = CopyVad("global");
  Members m = ReadMembers(dir + "/model.pt");
  std::string& pkl = m.Get("/data.pkl");
  // Same length, so the rest of the pickle stays well-formed: the reader must refuse the
  // global itself.
  ReplaceOnce(pkl, "collections\nOrderedDict\n", "posix\nsystem\nxxxxxxxxxxxx");
  m.Write(dir + "/model.pt");
  Caught c = OpenDir(dir);
  EXPECT_EQ(c.code, ErrorCode::kFormatError);
  EXPECT_NE(c.message.find("unsupported pickle global 'posix.system'"), std::string::npos) << c.message;
}

TEST(Malformed, PickleWithUnknownOpcode) {
  std::string pkl = BuildStateDictPickle({});
  // Insert INST ('i'), which executes code in Python's pickle, right after PROTO.
  pkl.insert(2, "i");
  Caught c = Catch([&] { ParseTorchStateDictPickle(pkl.data(), pkl.size(), "x.pkl"); });
  EXPECT_EQ(c.message, "x.pkl: unsupported pickle opcode 0x69 'i' (INST) at byte 2");
  std::string ext = "\x80\x02\x82\x01.";
  c = Catch([&] { ParseTorchStateDictPickle(ext.data(), ext.size(), "x.pkl"); });
  EXPECT_NE(c.message.find("unsupported pickle opcode 0x82 (EXT1)"), std::string::npos) << c.message;
  // Truncated pickles, stack underflow, undefined memo, self-containing containers.
  for (std::string bad : {std::string("\x80\x02}q\x00(X\x05\x00\x00\x00ab"), std::string("\x80\x02."),
                          std::string("\x80\x02h\x07."), std::string("\x80\x02]q\x00h\x00a."),
                          std::string("\x80\x02K\x01K\x02."), std::string("")}) {
    c = Catch([&] { ParseTorchStateDictPickle(bad.data(), bad.size(), "x.pkl"); });
    EXPECT_EQ(c.code, ErrorCode::kFormatError) << c.message;
    EXPECT_EQ(c.message.rfind("x.pkl: ", 0), 0u) << c.message;
  }
  // Deep nesting is bounded.
  std::string deep = "\x80\x02";
  for (int i = 0; i < 100000; ++i) deep += "]";
  for (int i = 0; i < 99999; ++i) deep += "a";
  deep += ".";
  c = Catch([&] { ParseTorchStateDictPickle(deep.data(), deep.size(), "x.pkl"); });
  EXPECT_NE(c.message.find("nested deeper"), std::string::npos) << c.message;
}

TEST(Malformed, DeclaredSizeLargerThanTheStorage) {
  std::string dir = CopyVad("size");
  Members m = ReadMembers(dir + "/model.pt");
  std::string& pkl = m.Get("/data.pkl");
  // encoder.in_linear1.linear.weight: storage numel 56000 (BININT2 0xdac0) -> 65000.
  ReplaceOnce(pkl, std::string("X\x03\x00\x00\x00" "cpuq\x06M\xc0\xda", 13),
              std::string("X\x03\x00\x00\x00" "cpuq\x06M\xe8\xfd", 13));
  m.Write(dir + "/model.pt");
  Caught c = OpenDir(dir);
  EXPECT_EQ(c.code, ErrorCode::kFormatError);
  EXPECT_NE(c.message.find("tensor 'encoder.in_linear1.linear.weight'"), std::string::npos) << c.message;
  EXPECT_NE(c.message.find("declares 65000 FloatStorage elements"), std::string::npos) << c.message;
}

TEST(Malformed, StorageOffsetPastTheEnd) {
  // A tensor whose offset + extent exceeds its storage, written in torch's own format.
  Tensor t = Tensor::FromVector({4}, {1, 2, 3, 4});
  TorchTensorRecord r;
  r.name = "w";
  r.storage_key = "0";
  r.storage_numel = 4;
  r.storage_offset = 2;
  r.sizes = {4};
  r.strides = {1};
  std::string pkl = BuildStateDictPickle({r});
  std::string dir = funasr_test::TempDir("io_malformed_offset");
  WriteStoredZip(dir + "/m.pt", {{"archive/data.pkl", pkl.data(), pkl.size()},
                                 {"archive/data/0", t.raw_data(), t.nbytes()}});
  Caught c = Catch([&] { LoadTorchCheckpoint(dir + "/m.pt"); });
  EXPECT_EQ(c.code, ErrorCode::kFormatError);
  EXPECT_NE(c.message.find("tensor 'w': storage offset 2 with shape [4] reads element 5 past the end of storage '0' (4 elements)"),
            std::string::npos) << c.message;
  // Missing storage member.
  r.storage_offset = 0;
  pkl = BuildStateDictPickle({r});
  WriteStoredZip(dir + "/m.pt", {{"archive/data.pkl", pkl.data(), pkl.size()}});
  c = Catch([&] { LoadTorchCheckpoint(dir + "/m.pt"); });
  EXPECT_NE(c.message.find("storage member 'archive/data/0' is missing"), std::string::npos) << c.message;
  // Non-contiguous (transposed) views are gathered correctly.
  r.storage_offset = 0;
  r.sizes = {2, 2};
  r.strides = {1, 2};
  pkl = BuildStateDictPickle({r});
  WriteStoredZip(dir + "/m.pt", {{"archive/data.pkl", pkl.data(), pkl.size()},
                                 {"archive/data/0", t.raw_data(), t.nbytes()}});
  auto loaded = LoadTorchCheckpoint(dir + "/m.pt");
  ASSERT_EQ(loaded.size(), 1u);
  const float* p = loaded[0].tensor.data<float>();
  EXPECT_EQ(std::vector<float>(p, p + 4), (std::vector<float>{1, 3, 2, 4}));
}

TEST(Malformed, MissingFiles) {
  std::string dir = CopyVad("missing");
  fs::remove(dir + "/model.pt");
  Caught c = OpenDir(dir);
  EXPECT_EQ(c.code, ErrorCode::kIoError);
  EXPECT_NE(c.message.find("configuration.json names 'model.pt' as the checkpoint"), std::string::npos)
      << c.message;
  fs::remove(dir + "/configuration.json");
  c = OpenDir(dir);
  EXPECT_NE(c.message.find("no model weights"), std::string::npos) << c.message;
  fs::remove(dir + "/config.yaml");
  c = OpenDir(dir);
  EXPECT_NE(c.message.find("not a FunASR model directory"), std::string::npos) << c.message;
  c = OpenDir(dir + "/does-not-exist");
  EXPECT_EQ(c.code, ErrorCode::kIoError);
  EXPECT_NE(c.message.find("does-not-exist"), std::string::npos);
}

TEST(Malformed, BadYamlAndBadCmvnInADirectory) {
  std::string dir = CopyVad("yaml");
  WriteFile(dir + "/config.yaml", "model: FsmnVADStreaming\nencoder_conf: [1, 2\n");
  Caught c = OpenDir(dir);
  EXPECT_EQ(c.code, ErrorCode::kFormatError);
  EXPECT_NE(c.message.find("config.yaml: invalid YAML"), std::string::npos) << c.message;
  dir = CopyVad("mvn");
  WriteFile(dir + "/am.mvn", "<Nnet>\n</Nnet>\n");
  c = OpenDir(dir);
  EXPECT_NE(c.message.find("am.mvn: no <AddShift>"), std::string::npos) << c.message;
}

TEST(Malformed, EmptyTokenList) {
  std::string dir = funasr_test::TempDir("io_malformed_tokens");
  std::string src = funasr_test::RequireData("reference/models/ct-punc-tiny");
  for (const auto& e : fs::directory_iterator(src))
    fs::copy_file(e.path(), fs::path(dir) / e.path().filename());
  for (const auto& e : fs::directory_iterator(dir))
    fs::permissions(e.path(), fs::perms::owner_write, fs::perm_options::add);
  WriteFile(dir + "/tokens.json", "[]");
  Caught c = OpenDir(dir);
  EXPECT_EQ(c.code, ErrorCode::kFormatError);
  EXPECT_NE(c.message.find("tokens.json: empty token list"), std::string::npos) << c.message;
}

TEST(Malformed, WrongShapesAreNamed) {
  auto files = ModelFiles::Open(funasr_test::RequireData("models/fsmn-vad"));
  Caught c = Catch([&] { files->GetF32("encoder.out_linear2.linear.bias", Shape{249}); });
  EXPECT_EQ(c.code, ErrorCode::kFormatError);
  EXPECT_NE(c.message.find("tensor 'encoder.out_linear2.linear.bias' has shape [248], expected [249]"),
            std::string::npos) << c.message;
}

}  // namespace
}  // namespace funasr::io

namespace funasr::io {
namespace {

// A zip member whose (consistently patched) header sizes exceed the file: refused before
// anything is allocated for it.
TEST(Malformed, ZipMemberDeclaredLargerThanTheFile) {
  std::string dir = CopyVad("zipsize");
  std::string bytes = funasr_test::ReadTextFile(dir + "/model.pt");
  const std::string name = "model/data/0";
  const uint32_t huge = 0x7ffffff0u;
  int patched = 0;
  for (size_t p = 0; p + 46 + name.size() <= bytes.size(); ++p) {
    if (bytes.compare(p, 4, "PK\x03\x04") == 0 && bytes.compare(p + 30, name.size(), name) == 0 &&
        static_cast<uint16_t>(bytes[p + 26] | bytes[p + 27] << 8) == name.size()) {
      std::memcpy(&bytes[p + 18], &huge, 4);
      std::memcpy(&bytes[p + 22], &huge, 4);
      ++patched;
    }
    if (bytes.compare(p, 4, "PK\x01\x02") == 0 && bytes.compare(p + 46, name.size(), name) == 0 &&
        static_cast<uint16_t>(bytes[p + 28] | bytes[p + 29] << 8) == name.size()) {
      std::memcpy(&bytes[p + 20], &huge, 4);
      std::memcpy(&bytes[p + 24], &huge, 4);
      ++patched;
    }
  }
  ASSERT_EQ(patched, 2);
  WriteFile(dir + "/model.pt", bytes);
  Caught c = OpenDir(dir);
  EXPECT_EQ(c.code, ErrorCode::kFormatError) << c.message;
  EXPECT_NE(c.message.find("model.pt"), std::string::npos) << c.message;
  std::printf("%s\n", c.message.c_str());
}

}  // namespace
}  // namespace funasr::io

namespace funasr::io {
namespace {

TEST(Malformed, OverlappingStridedViewIsRefused) {
  Tensor t = Tensor::FromVector({2}, {1, 2});
  TorchTensorRecord r;
  r.name = "expanded";
  r.storage_key = "0";
  r.storage_numel = 2;
  r.sizes = {1000000000, 2};
  r.strides = {0, 1};
  std::string pkl = BuildStateDictPickle({r});
  std::string dir = funasr_test::TempDir("io_malformed_expand");
  WriteStoredZip(dir + "/m.pt", {{"archive/data.pkl", pkl.data(), pkl.size()},
                                 {"archive/data/0", t.raw_data(), t.nbytes()}});
  Caught c = Catch([&] { LoadTorchCheckpoint(dir + "/m.pt"); });
  EXPECT_EQ(c.code, ErrorCode::kFormatError);
  EXPECT_NE(c.message.find("tensor 'expanded': overlapping strided view"), std::string::npos) << c.message;
}

}  // namespace
}  // namespace funasr::io
