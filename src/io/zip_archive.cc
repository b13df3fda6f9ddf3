#include "io/zip_archive.h"

#include <zip.h>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

#include "core/check.h"

namespace funasr::io {

struct ZipArchive::Impl {
  zip_t* zip = nullptr;
  ~Impl() {
    if (zip != nullptr) zip_discard(zip);
  }
};

namespace {

std::string ZipErrorString(int code) {
  zip_error_t err;
  zip_error_init_with_code(&err, code);
  std::string s = zip_error_strerror(&err);
  zip_error_fini(&err);
  return s;
}

[[noreturn]] void FailOpen(const std::string& name, int code) {
  switch (code) {
    case ZIP_ER_NOENT:
      Fail(ErrorCode::kIoError, name, ": file not found");
    case ZIP_ER_OPEN:
    case ZIP_ER_READ:
    case ZIP_ER_SEEK:
      Fail(ErrorCode::kIoError, name, ": cannot read zip archive (", ZipErrorString(code), ")");
    case ZIP_ER_NOZIP:
      Fail(ErrorCode::kFormatError, name,
           ": not a zip archive (truncated file, or not a PyTorch >= 1.6 checkpoint)");
    default:
      Fail(ErrorCode::kFormatError, name, ": invalid zip archive (", ZipErrorString(code), ")");
  }
}

}  // namespace

ZipArchive::ZipArchive(std::unique_ptr<Impl> impl, std::string name)
    : impl_(std::move(impl)), name_(std::move(name)) {}
ZipArchive::ZipArchive(ZipArchive&&) noexcept = default;
ZipArchive& ZipArchive::operator=(ZipArchive&&) noexcept = default;
ZipArchive::~ZipArchive() = default;

ZipArchive ZipArchive::OpenFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    Fail(ErrorCode::kIoError, path, ": cannot open (", std::strerror(errno), ")");
  }
  FUNASR_CHECK(S_ISREG(st.st_mode), ErrorCode::kIoError, path, ": not a regular file");
  int err = 0;
  // ZIP_CHECKCONS: cross-check the central directory against the local headers, which
  // catches truncated and spliced archives at open time.
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err);
  if (z == nullptr) FailOpen(path, err);
  auto impl = std::make_unique<Impl>();
  impl->zip = z;
  ZipArchive archive(std::move(impl), path);
  archive.archive_size_ = static_cast<uint64_t>(st.st_size);
  archive.ListEntries();
  return archive;
}

ZipArchive ZipArchive::OpenBuffer(const void* data, size_t size, const std::string& name) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(data, size, 0, &error);
  if (src == nullptr) {
    int code = zip_error_code_zip(&error);
    zip_error_fini(&error);
    FailOpen(name, code);
  }
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (z == nullptr) {
    int code = zip_error_code_zip(&error);
    zip_error_fini(&error);
    zip_source_free(src);
    FailOpen(name, code);
  }
  zip_error_fini(&error);
  auto impl = std::make_unique<Impl>();
  impl->zip = z;
  ZipArchive archive(std::move(impl), name);
  archive.archive_size_ = size;
  archive.ListEntries();
  return archive;
}

void ZipArchive::ListEntries() {
  zip_int64_t n = zip_get_num_entries(impl_->zip, 0);
  FUNASR_CHECK(n >= 0, ErrorCode::kFormatError, name_, ": cannot list zip members");
  entries_.reserve(static_cast<size_t>(n));
  for (zip_int64_t i = 0; i < n; ++i) {
    const char* s = zip_get_name(impl_->zip, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_RAW);
    FUNASR_CHECK(s != nullptr, ErrorCode::kFormatError, name_, ": zip member ", i,
                 " has no readable name");
    entries_.emplace_back(s);
  }
}

int64_t ZipArchive::Find(const std::string& entry) const {
  zip_int64_t i = zip_name_locate(impl_->zip, entry.c_str(), ZIP_FL_ENC_RAW);
  return i < 0 ? -1 : static_cast<int64_t>(i);
}

uint64_t ZipArchive::EntrySize(int64_t index) const {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(impl_->zip, static_cast<zip_uint64_t>(index), 0, &st) != 0 ||
      (st.valid & ZIP_STAT_SIZE) == 0) {
    Fail(ErrorCode::kFormatError, name_, ": cannot stat zip member ", index);
  }
  // The declared sizes must be possible for this file before anything is allocated for them:
  // stored members occupy their size in the file, deflated ones expand at most ~1032x.
  const std::string& entry = entries_.at(static_cast<size_t>(index));
  bool stored = (st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method == ZIP_CM_STORE;
  uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : st.size;
  FUNASR_CHECK(comp <= archive_size_ && (!stored || st.size == comp) &&
                   st.size / 1100 <= comp,
               ErrorCode::kFormatError, name_, ": member '", entry, "' declares ", st.size,
               " bytes, more than the ", archive_size_, "-byte file can hold");
  return st.size;
}

void ZipArchive::ReadEntry(int64_t index, void* dst, uint64_t size) const {
  const std::string& entry = entries_.at(static_cast<size_t>(index));
  uint64_t declared = EntrySize(index);
  FUNASR_CHECK(declared == size, ErrorCode::kFormatError, name_, ": member '", entry, "' holds ",
               declared, " bytes, expected ", size);
  zip_file_t* f = zip_fopen_index(impl_->zip, static_cast<zip_uint64_t>(index), 0);
  if (f == nullptr) {
    Fail(ErrorCode::kFormatError, name_, ": cannot open member '", entry, "' (",
         zip_strerror(impl_->zip), ")");
  }
  uint64_t done = 0;
  char* out = static_cast<char*>(dst);
  std::string problem;
  while (done < size) {
    zip_int64_t got = zip_fread(f, out + done, size - done);
    if (got < 0) {
      problem = zip_file_strerror(f);
      break;
    }
    if (got == 0) break;
    done += static_cast<uint64_t>(got);
  }
  // A final read of zero bytes lets libzip verify the CRC of the member.
  if (problem.empty() && done == size) {
    char probe;
    if (zip_fread(f, &probe, 1) < 0) problem = zip_file_strerror(f);
  }
  zip_fclose(f);
  FUNASR_CHECK(problem.empty(), ErrorCode::kFormatError, name_, ": member '", entry,
               "' is corrupt (", problem, ")");
  FUNASR_CHECK(done == size, ErrorCode::kIoError, name_, ": member '", entry, "' is truncated (",
               done, " of ", size, " bytes)");
}

std::string ZipArchive::ReadEntryString(int64_t index, uint64_t max_size) const {
  uint64_t size = EntrySize(index);
  FUNASR_CHECK(size <= max_size, ErrorCode::kFormatError, name_, ": member '",
               entries_.at(static_cast<size_t>(index)), "' is too large (", size, " bytes)");
  std::string s(static_cast<size_t>(size), '\0');
  ReadEntry(index, s.data(), size);
  return s;
}

}  // namespace funasr::io
