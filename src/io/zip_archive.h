// ZipArchive: read-only access to the members of a zip file (libzip), as used by PyTorch's
// checkpoint format (torch.save since 1.6 writes an uncompressed zip).
//
// Every read is bounded: a member's declared size is checked against what libzip can
// actually deliver, and a short read is an IoError naming the archive and the member.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace funasr::io {

class ZipArchive {
 public:
  // Opens the zip file at `path`. Throws IoError (missing/unreadable) or FormatError (not a
  // zip, inconsistent or truncated archive) naming the path.
  static ZipArchive OpenFile(const std::string& path);
  // Opens a zip held in memory (`data` must outlive the archive); `name` is used in errors.
  static ZipArchive OpenBuffer(const void* data, size_t size, const std::string& name);

  ZipArchive(ZipArchive&&) noexcept;
  ZipArchive& operator=(ZipArchive&&) noexcept;
  ~ZipArchive();

  const std::string& name() const { return name_; }
  // Names of all members, in central-directory order.
  const std::vector<std::string>& entries() const { return entries_; }
  // Index of member `entry`, or -1 when absent.
  int64_t Find(const std::string& entry) const;
  // Uncompressed size of member `index` as declared by the central directory.
  uint64_t EntrySize(int64_t index) const;
  // Reads member `index` completely into `dst` (exactly EntrySize(index) bytes, which the
  // caller has checked against its own expectation). Throws on a short or corrupt read.
  void ReadEntry(int64_t index, void* dst, uint64_t size) const;
  // Convenience: the whole member as a string, refusing members larger than `max_size`.
  std::string ReadEntryString(int64_t index, uint64_t max_size) const;

 private:
  struct Impl;
  explicit ZipArchive(std::unique_ptr<Impl> impl, std::string name);
  void ListEntries();

  std::unique_ptr<Impl> impl_;
  std::string name_;
  uint64_t archive_size_ = 0;
  std::vector<std::string> entries_;
};

}  // namespace funasr::io
