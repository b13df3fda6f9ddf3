#include "io/zip_writer.h"

#include <zip.h>

#include <cstdio>

#include "core/check.h"

namespace funasr::io {

void WriteStoredZip(const std::string& path, const std::vector<ZipMember>& members) {
  std::remove(path.c_str());
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (z == nullptr) {
    zip_error_t e;
    zip_error_init_with_code(&e, err);
    std::string msg = zip_error_strerror(&e);
    zip_error_fini(&e);
    Fail(ErrorCode::kIoError, path, ": cannot create zip (", msg, ")");
  }
  for (const ZipMember& m : members) {
    zip_source_t* src = zip_source_buffer(z, m.data, m.size, 0);
    zip_int64_t idx = src == nullptr ? -1 : zip_file_add(z, m.name.c_str(), src, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
      std::string msg = zip_strerror(z);
      if (src != nullptr) zip_source_free(src);
      zip_discard(z);
      Fail(ErrorCode::kIoError, path, ": cannot add '", m.name, "' (", msg, ")");
    }
    if (zip_set_file_compression(z, static_cast<zip_uint64_t>(idx), ZIP_CM_STORE, 0) != 0) {
      std::string msg = zip_strerror(z);
      zip_discard(z);
      Fail(ErrorCode::kIoError, path, ": cannot store '", m.name, "' (", msg, ")");
    }
  }
  if (zip_close(z) != 0) {
    std::string msg = zip_strerror(z);
    zip_discard(z);
    Fail(ErrorCode::kIoError, path, ": cannot write zip (", msg, ")");
  }
}

}  // namespace funasr::io
