#include "io/torch_checkpoint_writer.h"

#include "core/check.h"
#include "io/zip_writer.h"

namespace funasr::io {
namespace {

class PickleWriter {
 public:
  std::string out;

  void Op(uint8_t op) { out.push_back(static_cast<char>(op)); }
  void U32(uint32_t v) {
    for (int k = 0; k < 4; ++k) out.push_back(static_cast<char>((v >> (8 * k)) & 0xff));
  }
  void Int(int64_t v) {
    if (v >= 0 && v < 256) {
      Op('K');
      out.push_back(static_cast<char>(v));
    } else if (v >= 0 && v < 65536) {
      Op('M');
      out.push_back(static_cast<char>(v & 0xff));
      out.push_back(static_cast<char>(v >> 8));
    } else if (v >= INT32_MIN && v <= INT32_MAX) {
      Op('J');
      U32(static_cast<uint32_t>(static_cast<int32_t>(v)));
    } else {
      Op(0x8a);
      out.push_back(8);
      for (int k = 0; k < 8; ++k)
        out.push_back(static_cast<char>((static_cast<uint64_t>(v) >> (8 * k)) & 0xff));
    }
  }
  void Str(const std::string& s) {
    Op('X');
    U32(static_cast<uint32_t>(s.size()));
    out += s;
  }
  void Global(const std::string& module, const std::string& name) {
    Op('c');
    out += module + "\n" + name + "\n";
  }
  void IntTuple(const std::vector<int64_t>& v) {
    Op('(');
    for (int64_t x : v) Int(x);
    Op('t');
  }
};

TorchStorageType StorageTypeOf(DType d) {
  switch (d) {
    case DType::kF32: return TorchStorageType::kFloat;
    case DType::kF16: return TorchStorageType::kHalf;
    case DType::kI64: return TorchStorageType::kLong;
    case DType::kI32: return TorchStorageType::kInt;
    case DType::kI8: return TorchStorageType::kChar;
  }
  return TorchStorageType::kFloat;
}

}  // namespace

std::string BuildStateDictPickle(const std::vector<TorchTensorRecord>& records) {
  PickleWriter w;
  w.Op(0x80);
  w.out.push_back(2);
  w.Global("collections", "OrderedDict");
  w.Op(')');
  w.Op('R');
  w.Op('(');
  for (const TorchTensorRecord& r : records) {
    w.Str(r.name);
    w.Global("torch._utils", "_rebuild_tensor_v2");
    w.Op('(');
    // persistent id ('storage', torch.<T>Storage, key, 'cpu', numel)
    w.Op('(');
    w.Str("storage");
    w.Global("torch", TorchStorageTypeName(r.storage_type));
    w.Str(r.storage_key);
    w.Str("cpu");
    w.Int(r.storage_numel);
    w.Op('t');
    w.Op('Q');
    w.Int(r.storage_offset);
    w.IntTuple(r.sizes);
    w.IntTuple(r.strides);
    w.Op(0x89);  // requires_grad False
    w.Global("collections", "OrderedDict");
    w.Op(')');
    w.Op('R');
    w.Op('t');
    w.Op('R');
  }
  w.Op('u');
  w.Op('.');
  return w.out;
}

void SaveTorchCheckpoint(const std::string& path, const std::vector<NamedTensor>& tensors,
                         const std::string& root) {
  std::vector<TorchTensorRecord> records;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i].tensor;
    TorchTensorRecord r;
    r.name = tensors[i].name;
    r.storage_key = std::to_string(i);
    r.storage_type = StorageTypeOf(t.dtype());
    r.storage_numel = t.numel();
    r.sizes = t.shape();
    r.strides.assign(t.shape().size(), 1);
    for (int d = static_cast<int>(t.shape().size()) - 2; d >= 0; --d)
      r.strides[d] = r.strides[d + 1] * t.shape()[d + 1];
    records.push_back(std::move(r));
  }
  std::string pkl = BuildStateDictPickle(records);
  static const std::string kVersion = "3\n";
  std::vector<ZipMember> members;
  members.push_back({root + "/data.pkl", pkl.data(), pkl.size()});
  std::vector<std::string> names;
  names.reserve(tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) names.push_back(root + "/data/" + std::to_string(i));
  for (size_t i = 0; i < tensors.size(); ++i)
    members.push_back({names[i], tensors[i].tensor.raw_data(), tensors[i].tensor.nbytes()});
  members.push_back({root + "/version", kVersion.data(), kVersion.size()});
  WriteStoredZip(path, members);
}

}  // namespace funasr::io
