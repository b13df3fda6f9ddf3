// A read-only memory mapping of a whole file, shared by the tensors that borrow from it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace funasr::io {

class MappedFile {
 public:
  // Maps `path` read-only. Throws IoError naming the path.
  static std::shared_ptr<const MappedFile> Open(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const unsigned char* data() const { return data_; }
  size_t size() const { return size_; }
  const std::string& path() const { return path_; }
  // Drops the pages of the mapping from this process's resident set (madvise
  // MADV_DONTNEED). The mapping stays valid: a later read faults the bytes back in from the
  // file (the mapping is read-only, so nothing can be lost).
  void DropResidentPages() const;
  // The same for the pages lying wholly inside [data, data + size) (part of the mapping).
  void DropResidentPages(const void* data, size_t size) const;

 private:
  MappedFile() = default;
  const unsigned char* data_ = nullptr;
  size_t size_ = 0;
  std::string path_;
};

}  // namespace funasr::io
