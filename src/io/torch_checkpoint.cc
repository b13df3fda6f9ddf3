#include "io/torch_checkpoint.h"

#include <cstring>
#include <map>
#include <memory>
#include <mutex>

#include "core/check.h"
#include "io/torch_pickle.h"

namespace funasr::io {
namespace {

// data.pkl of a 1000-tensor state dict is ~200 kB; anything near this is not a state dict.
constexpr uint64_t kMaxPickleBytes = 256ull << 20;

struct StorageInfo {
  DType dtype;     // type of the loaded storage tensor
  bool convert;    // read raw bytes and convert element-wise
};

StorageInfo InfoOf(TorchStorageType t) {
  switch (t) {
    case TorchStorageType::kFloat: return {DType::kF32, false};
    case TorchStorageType::kHalf: return {DType::kF16, false};
    case TorchStorageType::kLong: return {DType::kI64, false};
    case TorchStorageType::kInt: return {DType::kI32, false};
    case TorchStorageType::kChar: return {DType::kI8, false};
    case TorchStorageType::kBFloat16:
    case TorchStorageType::kDouble: return {DType::kF32, true};
    case TorchStorageType::kShort:
    case TorchStorageType::kByte:
    case TorchStorageType::kBool: return {DType::kI32, true};
  }
  return {DType::kF32, false};
}

Tensor ConvertStorage(TorchStorageType t, const std::vector<char>& raw, int64_t numel) {
  StorageInfo info = InfoOf(t);
  Tensor out = Tensor::Zeros(info.dtype, {numel});
  const char* p = raw.data();
  for (int64_t i = 0; i < numel; ++i) {
    switch (t) {
      case TorchStorageType::kBFloat16: {
        uint16_t h;
        std::memcpy(&h, p + 2 * i, 2);
        uint32_t bits = static_cast<uint32_t>(h) << 16;
        std::memcpy(out.mutable_data<float>() + i, &bits, 4);
        break;
      }
      case TorchStorageType::kDouble: {
        double d;
        std::memcpy(&d, p + 8 * i, 8);
        out.mutable_data<float>()[i] = static_cast<float>(d);
        break;
      }
      case TorchStorageType::kShort: {
        int16_t s;
        std::memcpy(&s, p + 2 * i, 2);
        out.mutable_data<int32_t>()[i] = s;
        break;
      }
      case TorchStorageType::kByte:
        out.mutable_data<int32_t>()[i] = static_cast<uint8_t>(p[i]);
        break;
      case TorchStorageType::kBool:
        out.mutable_data<int32_t>()[i] = p[i] != 0;
        break;
      default:
        FUNASR_ASSERT(false);
    }
  }
  return out;
}

bool MulOk(int64_t a, int64_t b, int64_t* r) { return !__builtin_mul_overflow(a, b, r); }
bool AddOk(int64_t a, int64_t b, int64_t* r) { return !__builtin_add_overflow(a, b, r); }

// Copies a strided view into a new contiguous tensor.
Tensor Gather(const Tensor& storage, int64_t offset, const Shape& sizes,
              const std::vector<int64_t>& strides) {
  Tensor out = Tensor::Zeros(storage.dtype(), sizes);
  size_t es = DTypeSize(storage.dtype());
  const char* src = static_cast<const char*>(storage.raw_data());
  char* dst = static_cast<char*>(const_cast<void*>(out.raw_data()));
  int64_t n = out.numel();
  std::vector<int64_t> idx(sizes.size(), 0);
  for (int64_t k = 0; k < n; ++k) {
    int64_t pos = offset;
    for (size_t d = 0; d < sizes.size(); ++d) pos += idx[d] * strides[d];
    std::memcpy(dst + k * es, src + pos * es, es);
    for (int d = static_cast<int>(sizes.size()) - 1; d >= 0; --d) {
      if (++idx[d] < sizes[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

// One tensor of the checkpoint, checked against its storage: what Read needs.
struct CheckpointEntry {
  TorchTensorRecord record;
  int64_t numel = 0;
  bool contiguous = true;
};

// A storage (zip member) several entries may view.
struct CheckpointStorage {
  TorchStorageType type;
  int64_t numel;
  int64_t member;  // zip index
  int64_t bytes;
};

struct ParsedCheckpoint {
  std::vector<CheckpointEntry> entries;  // file order
  std::map<std::string, CheckpointStorage> storages;
};

// Reads data.pkl and checks every tensor's geometry against its storage and every storage
// against its zip member; reads no tensor data.
ParsedCheckpoint ParseCheckpoint(const ZipArchive& zip) {
  const std::string& file = zip.name();
  std::string root;
  int64_t pkl_index = -1;
  for (size_t i = 0; i < zip.entries().size(); ++i) {
    const std::string& e = zip.entries()[i];
    size_t slash = e.find('/');
    if (slash == std::string::npos || slash == 0 || e.compare(slash, std::string::npos, "/data.pkl") != 0)
      continue;
    FUNASR_CHECK(pkl_index < 0, ErrorCode::kFormatError, file,
                 ": several data.pkl members; not a single PyTorch checkpoint");
    pkl_index = static_cast<int64_t>(i);
    root = e.substr(0, slash);
  }
  FUNASR_CHECK(pkl_index >= 0, ErrorCode::kFormatError, file,
               ": no <root>/data.pkl member; not a PyTorch checkpoint");

  int64_t bo = zip.Find(root + "/byteorder");
  if (bo >= 0) {
    std::string order = zip.ReadEntryString(bo, 16);
    FUNASR_CHECK(order == "little", ErrorCode::kUnsupported, file, ": byte order '", order,
                 "' is not supported (little-endian checkpoints only)");
  }

  std::string pkl = zip.ReadEntryString(pkl_index, kMaxPickleBytes);
  std::string what = file + ": " + zip.entries()[pkl_index];
  std::vector<TorchTensorRecord> records = ParseTorchStateDictPickle(pkl.data(), pkl.size(), what);

  ParsedCheckpoint out;
  out.entries.reserve(records.size());
  for (TorchTensorRecord& r : records) {
    auto bad = [&](auto&&... parts) {
      Fail(ErrorCode::kFormatError, file, ": tensor '", r.name, "': ", parts...);
    };
    // Geometry: every element the view touches must lie inside the storage.
    if (r.storage_offset < 0) bad("negative storage offset ", r.storage_offset);
    int64_t numel = 1;
    int64_t last = r.storage_offset;
    for (size_t d = 0; d < r.sizes.size(); ++d) {
      if (r.sizes[d] < 0) bad("negative size ", ShapeToString(r.sizes));
      if (r.strides[d] < 0) bad("negative stride");
      if (!MulOk(numel, r.sizes[d], &numel)) bad("size overflows");
    }
    if (numel > 0) {
      for (size_t d = 0; d < r.sizes.size(); ++d) {
        int64_t step;
        if (!MulOk(r.sizes[d] - 1, r.strides[d], &step) || !AddOk(last, step, &last))
          bad("stride overflows");
      }
      if (last >= r.storage_numel)
        bad("storage offset ", r.storage_offset, " with shape ", ShapeToString(r.sizes),
            " reads element ", last, " past the end of storage '", r.storage_key, "' (",
            r.storage_numel, " elements)");
    }

    auto it = out.storages.find(r.storage_key);
    if (it == out.storages.end()) {
      std::string member = root + "/data/" + r.storage_key;
      int64_t index = zip.Find(member);
      if (index < 0) bad("storage member '", member, "' is missing");
      int64_t bytes;
      if (!MulOk(r.storage_numel, static_cast<int64_t>(TorchStorageElementSize(r.storage_type)), &bytes))
        bad("storage size overflows");
      uint64_t have = zip.EntrySize(index);
      if (have != static_cast<uint64_t>(bytes))
        bad("storage '", member, "' declares ", r.storage_numel, " ",
            TorchStorageTypeName(r.storage_type), " elements (", bytes, " bytes) but the member holds ",
            have, " bytes");
      it = out.storages
               .emplace(r.storage_key,
                        CheckpointStorage{r.storage_type, r.storage_numel, index, bytes})
               .first;
    } else if (it->second.type != r.storage_type || it->second.numel != r.storage_numel) {
      bad("storage '", r.storage_key, "' is referenced with two different types or sizes");
    }

    bool contiguous = true;
    int64_t expect = 1;
    for (int d = static_cast<int>(r.sizes.size()) - 1; d >= 0; --d) {
      if (r.sizes[d] != 1 && r.strides[d] != expect) contiguous = false;
      expect *= r.sizes[d];
    }
    // A non-contiguous view can name more elements than its storage holds only by
    // overlapping itself (stride 0 / expand); state dicts never need that, and gathering
    // it could allocate without bound.
    if (!contiguous && numel > r.storage_numel)
      bad("overlapping strided view (", numel, " elements over a storage of ", r.storage_numel,
          ") is not supported");
    out.entries.push_back(CheckpointEntry{std::move(r), numel, contiguous});
  }
  return out;
}

// The whole storage, read from its member and converted to its loaded type.
std::shared_ptr<const Tensor> ReadStorage(const ZipArchive& zip, const CheckpointStorage& st) {
  StorageInfo info = InfoOf(st.type);
  Tensor t;
  if (!info.convert) {
    t = Tensor::Zeros(info.dtype, {st.numel});
    zip.ReadEntry(st.member, const_cast<void*>(t.raw_data()), static_cast<uint64_t>(st.bytes));
  } else {
    std::vector<char> raw(static_cast<size_t>(st.bytes));
    zip.ReadEntry(st.member, raw.data(), static_cast<uint64_t>(st.bytes));
    t = ConvertStorage(st.type, raw, st.numel);
  }
  return std::make_shared<const Tensor>(std::move(t));
}

// Entry `e` over its storage: a view (borrowing it) when contiguous, else a gathered copy.
Tensor MakeTensor(const CheckpointEntry& e, const std::shared_ptr<const Tensor>& storage) {
  const TorchTensorRecord& r = e.record;
  if (e.numel == 0) return Tensor::Zeros(storage->dtype(), r.sizes);
  if (e.contiguous) {
    const char* base = static_cast<const char*>(storage->raw_data()) +
                       r.storage_offset * static_cast<int64_t>(DTypeSize(storage->dtype()));
    return Tensor::Borrow(storage->dtype(), r.sizes, base, storage);
  }
  return Gather(*storage, r.storage_offset, r.sizes, r.strides);
}

std::vector<NamedTensor> ReadAll(const ZipArchive& zip, const ParsedCheckpoint& p) {
  std::map<std::string, std::shared_ptr<const Tensor>> read;
  std::vector<NamedTensor> out;
  out.reserve(p.entries.size());
  for (const CheckpointEntry& e : p.entries) {
    std::shared_ptr<const Tensor>& storage = read[e.record.storage_key];
    if (!storage) storage = ReadStorage(zip, p.storages.at(e.record.storage_key));
    out.push_back(NamedTensor{e.record.name, MakeTensor(e, storage)});
  }
  return out;
}

}  // namespace

std::vector<NamedTensor> LoadTorchCheckpoint(const std::string& path) {
  ZipArchive zip = ZipArchive::OpenFile(path);
  return LoadTorchCheckpoint(zip);
}

std::vector<NamedTensor> LoadTorchCheckpoint(const ZipArchive& zip) {
  return ReadAll(zip, ParseCheckpoint(zip));
}

struct TorchCheckpoint::State {
  explicit State(ZipArchive z) : zip(std::move(z)) {}
  ZipArchive zip;
  ParsedCheckpoint parsed;
  std::vector<std::string> names;
  std::mutex mu;  // libzip reads on one archive are not thread-safe; guards `alive` too
  std::map<std::string, std::weak_ptr<const Tensor>> alive;  // storages some tensor holds
};

std::shared_ptr<const TorchCheckpoint> TorchCheckpoint::Open(const std::string& path) {
  auto state = std::make_shared<State>(ZipArchive::OpenFile(path));
  state->parsed = ParseCheckpoint(state->zip);
  for (const CheckpointEntry& e : state->parsed.entries) state->names.push_back(e.record.name);
  return std::shared_ptr<const TorchCheckpoint>(new TorchCheckpoint(std::move(state)));
}

TorchCheckpoint::TorchCheckpoint(std::shared_ptr<State> state) : state_(std::move(state)) {}
TorchCheckpoint::~TorchCheckpoint() = default;

const std::vector<std::string>& TorchCheckpoint::names() const { return state_->names; }

Tensor TorchCheckpoint::Read(size_t index) const {
  FUNASR_CHECK(index < state_->parsed.entries.size(), ErrorCode::kInternal,
               "TorchCheckpoint::Read: index ", index, " out of range");
  const CheckpointEntry& e = state_->parsed.entries[index];
  std::shared_ptr<const Tensor> storage;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    std::weak_ptr<const Tensor>& slot = state_->alive[e.record.storage_key];
    storage = slot.lock();
    if (!storage) {
      storage = ReadStorage(state_->zip, state_->parsed.storages.at(e.record.storage_key));
      slot = storage;
    }
  }
  return MakeTensor(e, storage);
}

}  // namespace funasr::io
