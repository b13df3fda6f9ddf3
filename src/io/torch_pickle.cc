#include "io/torch_pickle.h"

#include <cstring>
#include <memory>
#include <unordered_map>
#include <utility>

#include "core/check.h"

namespace funasr::io {

size_t TorchStorageElementSize(TorchStorageType type) {
  switch (type) {
    case TorchStorageType::kFloat: return 4;
    case TorchStorageType::kHalf: return 2;
    case TorchStorageType::kBFloat16: return 2;
    case TorchStorageType::kDouble: return 8;
    case TorchStorageType::kLong: return 8;
    case TorchStorageType::kInt: return 4;
    case TorchStorageType::kShort: return 2;
    case TorchStorageType::kChar: return 1;
    case TorchStorageType::kByte: return 1;
    case TorchStorageType::kBool: return 1;
  }
  return 0;
}

const char* TorchStorageTypeName(TorchStorageType type) {
  switch (type) {
    case TorchStorageType::kFloat: return "FloatStorage";
    case TorchStorageType::kHalf: return "HalfStorage";
    case TorchStorageType::kBFloat16: return "BFloat16Storage";
    case TorchStorageType::kDouble: return "DoubleStorage";
    case TorchStorageType::kLong: return "LongStorage";
    case TorchStorageType::kInt: return "IntStorage";
    case TorchStorageType::kShort: return "ShortStorage";
    case TorchStorageType::kChar: return "CharStorage";
    case TorchStorageType::kByte: return "ByteStorage";
    case TorchStorageType::kBool: return "BoolStorage";
  }
  return "?";
}

namespace {

// Nesting deeper than this is not something torch.save produces for a state dict.
constexpr int kMaxDepth = 32;
constexpr int kMaxRank = 16;

enum class Kind { kNone, kBool, kInt, kFloat, kString, kBytes, kTuple, kList, kDict, kGlobal,
                  kStorage, kTensor };

const char* KindName(Kind k) {
  switch (k) {
    case Kind::kNone: return "None";
    case Kind::kBool: return "bool";
    case Kind::kInt: return "int";
    case Kind::kFloat: return "float";
    case Kind::kString: return "str";
    case Kind::kBytes: return "bytes";
    case Kind::kTuple: return "tuple";
    case Kind::kList: return "list";
    case Kind::kDict: return "dict";
    case Kind::kGlobal: return "global";
    case Kind::kStorage: return "storage";
    case Kind::kTensor: return "tensor";
  }
  return "?";
}

// The callables a torch state dict may reference.
enum class Global { kOrderedDict, kRebuildTensorV2, kRebuildParameter, kStorageType };

struct Value;
using ValuePtr = std::shared_ptr<Value>;

struct Value {
  explicit Value(Kind k) : kind(k) {}
  Kind kind;
  bool b = false;
  int64_t i = 0;
  double f = 0.0;
  std::string s;  // str / bytes / global "module.name"
  std::vector<ValuePtr> items;                          // tuple / list
  std::vector<std::pair<ValuePtr, ValuePtr>> entries;   // dict
  Global global = Global::kOrderedDict;
  TorchStorageType storage_type = TorchStorageType::kFloat;
  int64_t storage_numel = 0;  // storage
  TorchTensorRecord tensor;   // tensor (name empty)
  int depth = 1;
  bool sealed = false;  // nested inside another container: no longer mutable
};

struct OpcodeName {
  uint8_t code;
  const char* name;
};
// Names of the standard opcodes, for error messages only.
constexpr OpcodeName kOpcodeNames[] = {
    {'(', "MARK"}, {'.', "STOP"}, {'0', "POP"}, {'1', "POP_MARK"}, {'2', "DUP"},
    {'F', "FLOAT"}, {'I', "INT"}, {'J', "BININT"}, {'K', "BININT1"}, {'L', "LONG"},
    {'M', "BININT2"}, {'N', "NONE"}, {'P', "PERSID"}, {'Q', "BINPERSID"}, {'R', "REDUCE"},
    {'S', "STRING"}, {'T', "BINSTRING"}, {'U', "SHORT_BINSTRING"}, {'V', "UNICODE"},
    {'X', "BINUNICODE"}, {'a', "APPEND"}, {'b', "BUILD"}, {'c', "GLOBAL"}, {'d', "DICT"},
    {'}', "EMPTY_DICT"}, {'e', "APPENDS"}, {'g', "GET"}, {'h', "BINGET"}, {'i', "INST"},
    {'j', "LONG_BINGET"}, {'l', "LIST"}, {']', "EMPTY_LIST"}, {'o', "OBJ"}, {'p', "PUT"},
    {'q', "BINPUT"}, {'r', "LONG_BINPUT"}, {'s', "SETITEM"}, {'t', "TUPLE"},
    {')', "EMPTY_TUPLE"}, {'u', "SETITEMS"}, {'G', "BINFLOAT"}, {0x80, "PROTO"},
    {0x81, "NEWOBJ"}, {0x82, "EXT1"}, {0x83, "EXT2"}, {0x84, "EXT4"}, {0x85, "TUPLE1"},
    {0x86, "TUPLE2"}, {0x87, "TUPLE3"}, {0x88, "NEWTRUE"}, {0x89, "NEWFALSE"},
    {0x8a, "LONG1"}, {0x8b, "LONG4"}, {'B', "BINBYTES"}, {'C', "SHORT_BINBYTES"},
    {0x8c, "SHORT_BINUNICODE"}, {0x8d, "BINUNICODE8"}, {0x8e, "BINBYTES8"},
    {0x8f, "EMPTY_SET"}, {0x90, "ADDITEMS"}, {0x91, "FROZENSET"}, {0x92, "NEWOBJ_EX"},
    {0x93, "STACK_GLOBAL"}, {0x94, "MEMOIZE"}, {0x95, "FRAME"}, {0x96, "BYTEARRAY8"},
    {0x97, "NEXT_BUFFER"}, {0x98, "READONLY_BUFFER"}};

const char* OpcodeNameOf(uint8_t code) {
  for (const auto& o : kOpcodeNames)
    if (o.code == code) return o.name;
  return "unknown";
}

class Parser {
 public:
  Parser(const void* data, size_t size, const std::string& what)
      : p_(static_cast<const uint8_t*>(data)), n_(size), what_(what) {}

  ValuePtr Run() {
    FUNASR_CHECK(n_ > 0, ErrorCode::kFormatError, what_, ": empty pickle");
    while (true) {
      op_pos_ = pos_;
      uint8_t op = U8();
      switch (op) {
        case 0x80: {  // PROTO
          uint8_t proto = U8();
          if (proto > 5) Bad("unsupported pickle protocol ", int(proto));
          break;
        }
        case 0x95:  // FRAME: a size hint only
          U64();
          break;
        case '.': {  // STOP
          ValuePtr result = Pop();
          if (!stack_.empty() || !marks_.empty()) Bad("pickle stops with values left on the stack");
          return result;
        }
        case '(':
          marks_.push_back(stack_.size());
          break;
        case '}':
          Push(std::make_shared<Value>(Kind::kDict));
          break;
        case ']':
          Push(std::make_shared<Value>(Kind::kList));
          break;
        case ')':
          Push(MakeTuple({}));
          break;
        case 't':
          Push(MakeTuple(PopToMark()));
          break;
        case 0x85: {
          ValuePtr a = Pop();
          Push(MakeTuple({a}));
          break;
        }
        case 0x86: {
          ValuePtr b = Pop(), a = Pop();
          Push(MakeTuple({a, b}));
          break;
        }
        case 0x87: {
          ValuePtr c = Pop(), b = Pop(), a = Pop();
          Push(MakeTuple({a, b, c}));
          break;
        }
        case 'a': {  // APPEND
          ValuePtr v = Pop();
          Append(Top(), {v});
          break;
        }
        case 'e': {  // APPENDS
          std::vector<ValuePtr> items = PopToMark();
          Append(Top(), items);
          break;
        }
        case 's': {  // SETITEM
          ValuePtr v = Pop(), k = Pop();
          SetItems(Top(), {k, v});
          break;
        }
        case 'u': {  // SETITEMS
          std::vector<ValuePtr> items = PopToMark();
          SetItems(Top(), items);
          break;
        }
        case 'q':
          Put(U8());
          break;
        case 'r':
          Put(U32());
          break;
        case 0x94:
          Put(memo_.size());
          break;
        case 'h':
          Get(U8());
          break;
        case 'j':
          Get(U32());
          break;
        case 'J': {
          uint32_t u = U32();
          int32_t v;
          std::memcpy(&v, &u, 4);
          PushInt(v);
          break;
        }
        case 'K':
          PushInt(U8());
          break;
        case 'M':
          PushInt(U16());
          break;
        case 0x8a: {  // LONG1: little-endian two's complement of n bytes
          uint8_t len = U8();
          if (len > 8) Bad("integer of ", int(len), " bytes is too large");
          uint64_t u = 0;
          for (int k = 0; k < len; ++k) u |= static_cast<uint64_t>(U8()) << (8 * k);
          if (len > 0 && len < 8 && (u >> (8 * len - 1)) & 1) u |= ~0ull << (8 * len);
          int64_t v;
          std::memcpy(&v, &u, 8);
          PushInt(v);
          break;
        }
        case 'N':
          Push(std::make_shared<Value>(Kind::kNone));
          break;
        case 0x88:
        case 0x89: {
          auto v = std::make_shared<Value>(Kind::kBool);
          v->b = op == 0x88;
          Push(v);
          break;
        }
        case 'G': {  // BINFLOAT: big-endian double
          uint64_t u = 0;
          for (int k = 0; k < 8; ++k) u = (u << 8) | U8();
          auto v = std::make_shared<Value>(Kind::kFloat);
          std::memcpy(&v->f, &u, 8);
          Push(v);
          break;
        }
        case 'X':
          PushString(Kind::kString, U32());
          break;
        case 0x8c:
          PushString(Kind::kString, U8());
          break;
        case 0x8d:
          PushString(Kind::kString, U64());
          break;
        case 'T': {
          uint32_t u = U32();
          if (u > 0x7fffffffu) Bad("negative string length");
          PushString(Kind::kString, u);
          break;
        }
        case 'U':
          PushString(Kind::kString, U8());
          break;
        case 'B':
          PushString(Kind::kBytes, U32());
          break;
        case 'C':
          PushString(Kind::kBytes, U8());
          break;
        case 0x8e:
          PushString(Kind::kBytes, U64());
          break;
        case 'c': {  // GLOBAL "module\nname\n"
          std::string module = Line();
          std::string name = Line();
          Push(MakeGlobal(module, name));
          break;
        }
        case 0x93: {  // STACK_GLOBAL
          ValuePtr name = Pop(), module = Pop();
          if (name->kind != Kind::kString || module->kind != Kind::kString)
            Bad("STACK_GLOBAL expects two strings");
          Push(MakeGlobal(module->s, name->s));
          break;
        }
        case 'R': {  // REDUCE
          ValuePtr args = Pop(), callable = Pop();
          Push(Call(callable, args));
          break;
        }
        case 'b': {  // BUILD: object state; OrderedDict carries only `_metadata` here
          ValuePtr state = Pop();
          ValuePtr obj = Top();
          if (obj->kind != Kind::kDict && obj->kind != Kind::kTensor)
            Bad("BUILD on a ", KindName(obj->kind), " is not supported");
          break;
        }
        case 'Q': {  // BINPERSID
          ValuePtr pid = Pop();
          Push(PersistentLoad(pid));
          break;
        }
        default: {
          char printable[8] = "";
          if (op >= 0x20 && op < 0x7f) std::snprintf(printable, sizeof printable, " '%c'", op);
          char hex[8];
          std::snprintf(hex, sizeof hex, "0x%02x", op);
          Bad("unsupported pickle opcode ", hex, printable, " (", OpcodeNameOf(op), ")");
        }
      }
    }
  }

 private:
  template <typename... Args>
  [[noreturn]] void Bad(Args&&... args) const {
    Fail(ErrorCode::kFormatError, what_, ": ", std::forward<Args>(args)..., " at byte ", op_pos_);
  }

  void Need(uint64_t k) const {
    if (k > n_ - pos_) {
      Fail(ErrorCode::kFormatError, what_, ": pickle truncated (needs ", k, " bytes at byte ",
           pos_, ", ", n_ - pos_, " left)");
    }
  }
  uint8_t U8() {
    Need(1);
    return p_[pos_++];
  }
  uint16_t U16() {
    Need(2);
    uint16_t v = static_cast<uint16_t>(p_[pos_] | (p_[pos_ + 1] << 8));
    pos_ += 2;
    return v;
  }
  uint32_t U32() {
    Need(4);
    uint32_t v = 0;
    for (int k = 3; k >= 0; --k) v = (v << 8) | p_[pos_ + k];
    pos_ += 4;
    return v;
  }
  uint64_t U64() {
    Need(8);
    uint64_t v = 0;
    for (int k = 7; k >= 0; --k) v = (v << 8) | p_[pos_ + k];
    pos_ += 8;
    return v;
  }
  std::string Line() {
    size_t start = pos_;
    while (pos_ < n_ && p_[pos_] != '\n') {
      if (pos_ - start > 256) Bad("GLOBAL name too long");
      ++pos_;
    }
    if (pos_ >= n_) Bad("pickle truncated inside GLOBAL");
    std::string s(reinterpret_cast<const char*>(p_ + start), pos_ - start);
    ++pos_;
    return s;
  }

  void Push(ValuePtr v) { stack_.push_back(std::move(v)); }
  void PushInt(int64_t i) {
    auto v = std::make_shared<Value>(Kind::kInt);
    v->i = i;
    Push(v);
  }
  void PushString(Kind kind, uint64_t len) {
    Need(len);
    auto v = std::make_shared<Value>(kind);
    v->s.assign(reinterpret_cast<const char*>(p_ + pos_), static_cast<size_t>(len));
    pos_ += static_cast<size_t>(len);
    Push(v);
  }
  ValuePtr Pop() {
    size_t floor = marks_.empty() ? 0 : marks_.back();
    if (stack_.size() <= floor) Bad("pickle stack underflow");
    ValuePtr v = std::move(stack_.back());
    stack_.pop_back();
    return v;
  }
  const ValuePtr& Top() const {
    size_t floor = marks_.empty() ? 0 : marks_.back();
    if (stack_.size() <= floor) Bad("pickle stack underflow");
    return stack_.back();
  }
  std::vector<ValuePtr> PopToMark() {
    if (marks_.empty()) Bad("pickle has no MARK to pop to");
    size_t mark = marks_.back();
    marks_.pop_back();
    std::vector<ValuePtr> items(std::make_move_iterator(stack_.begin() + mark),
                                std::make_move_iterator(stack_.end()));
    stack_.resize(mark);
    return items;
  }

  void Put(uint64_t index) {
    if (memo_.size() >= n_) Bad("pickle memo too large");
    memo_[index] = Top();
  }
  void Get(uint64_t index) {
    auto it = memo_.find(index);
    if (it == memo_.end()) Bad("memo entry ", index, " is not defined");
    Push(it->second);
  }

  // Nests `child` inside `parent`, keeping the value graph a tree of bounded depth.
  void Adopt(Value& parent, const ValuePtr& child) {
    if (child.get() == &parent) Bad("a container cannot contain itself");
    child->sealed = true;
    parent.depth = std::max(parent.depth, child->depth + 1);
    if (parent.depth > kMaxDepth) Bad("values nested deeper than ", kMaxDepth, " levels");
  }
  ValuePtr MakeTuple(std::vector<ValuePtr> items) {
    auto t = std::make_shared<Value>(Kind::kTuple);
    for (const auto& c : items) Adopt(*t, c);
    t->items = std::move(items);
    return t;
  }
  void Append(const ValuePtr& list, const std::vector<ValuePtr>& items) {
    if (list->kind != Kind::kList) Bad("APPEND(S) on a ", KindName(list->kind));
    if (list->sealed) Bad("list modified after being nested (unsupported)");
    for (const auto& c : items) {
      Adopt(*list, c);
      list->items.push_back(c);
    }
  }
  void SetItems(const ValuePtr& dict, const std::vector<ValuePtr>& items) {
    if (dict->kind != Kind::kDict) Bad("SETITEM(S) on a ", KindName(dict->kind));
    if (dict->sealed) Bad("dict modified after being nested (unsupported)");
    if (items.size() % 2 != 0) Bad("SETITEMS with an odd number of values");
    for (size_t k = 0; k < items.size(); k += 2) {
      Adopt(*dict, items[k]);
      Adopt(*dict, items[k + 1]);
      dict->entries.emplace_back(items[k], items[k + 1]);
    }
  }

  ValuePtr MakeGlobal(const std::string& module, const std::string& name) {
    auto g = std::make_shared<Value>(Kind::kGlobal);
    g->s = module + "." + name;
    if (module == "collections" && name == "OrderedDict") {
      g->global = Global::kOrderedDict;
    } else if (module == "torch._utils" && name == "_rebuild_tensor_v2") {
      g->global = Global::kRebuildTensorV2;
    } else if (module == "torch._utils" && name == "_rebuild_parameter") {
      g->global = Global::kRebuildParameter;
    } else if (module == "torch" && StorageTypeFromName(name, &g->storage_type)) {
      g->global = Global::kStorageType;
    } else {
      Bad("unsupported pickle global '", g->s, "' (only tensors and dicts are allowed)");
    }
    return g;
  }
  static bool StorageTypeFromName(const std::string& name, TorchStorageType* type) {
    for (int t = 0; t <= static_cast<int>(TorchStorageType::kBool); ++t) {
      auto st = static_cast<TorchStorageType>(t);
      if (name == TorchStorageTypeName(st)) {
        *type = st;
        return true;
      }
    }
    return false;
  }

  int64_t IntOf(const ValuePtr& v, const char* what) const {
    if (v->kind != Kind::kInt) Bad(what, " must be an int, found ", KindName(v->kind));
    return v->i;
  }
  std::vector<int64_t> IntTuple(const ValuePtr& v, const char* what) const {
    if (v->kind != Kind::kTuple) Bad(what, " must be a tuple, found ", KindName(v->kind));
    if (v->items.size() > kMaxRank) Bad(what, " has too many dimensions");
    std::vector<int64_t> out;
    for (const auto& x : v->items) out.push_back(IntOf(x, what));
    return out;
  }

  // persistent id ('storage', torch.<T>Storage, key, location, numel)
  ValuePtr PersistentLoad(const ValuePtr& pid) {
    if (pid->kind != Kind::kTuple || pid->items.size() != 5)
      Bad("persistent id must be a 5-tuple ('storage', type, key, location, numel)");
    const auto& it = pid->items;
    if (it[0]->kind != Kind::kString || it[0]->s != "storage")
      Bad("persistent id is not a storage reference");
    if (it[1]->kind != Kind::kGlobal || it[1]->global != Global::kStorageType)
      Bad("persistent id names no torch storage type");
    if (it[2]->kind != Kind::kString) Bad("storage key must be a string");
    if (it[3]->kind != Kind::kString) Bad("storage location must be a string");
    const std::string& key = it[2]->s;
    if (key.empty() || key.size() > 64 || key.find('/') != std::string::npos ||
        key.find('\0') != std::string::npos || key == "." || key == "..")
      Bad("invalid storage key");
    int64_t numel = IntOf(it[4], "storage size");
    if (numel < 0) Bad("negative storage size ", numel);
    auto s = std::make_shared<Value>(Kind::kStorage);
    s->storage_type = it[1]->storage_type;
    s->s = key;
    s->storage_numel = numel;
    return s;
  }

  ValuePtr Call(const ValuePtr& callable, const ValuePtr& args) {
    if (callable->kind != Kind::kGlobal) Bad("REDUCE on a ", KindName(callable->kind));
    if (args->kind != Kind::kTuple) Bad("REDUCE arguments must be a tuple");
    const auto& a = args->items;
    switch (callable->global) {
      case Global::kOrderedDict:
        if (!a.empty()) Bad("OrderedDict() with arguments is not supported");
        return std::make_shared<Value>(Kind::kDict);
      case Global::kRebuildTensorV2: {
        // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        if (a.size() != 6 && a.size() != 7) Bad("_rebuild_tensor_v2 with ", a.size(), " arguments");
        if (a[0]->kind != Kind::kStorage) Bad("_rebuild_tensor_v2 without a storage");
        auto t = std::make_shared<Value>(Kind::kTensor);
        t->tensor.storage_key = a[0]->s;
        t->tensor.storage_type = a[0]->storage_type;
        t->tensor.storage_numel = a[0]->storage_numel;
        t->tensor.storage_offset = IntOf(a[1], "storage offset");
        t->tensor.sizes = IntTuple(a[2], "tensor size");
        t->tensor.strides = IntTuple(a[3], "tensor stride");
        if (t->tensor.sizes.size() != t->tensor.strides.size())
          Bad("tensor size and stride differ in rank");
        return t;
      }
      case Global::kRebuildParameter:
        // (data, requires_grad, backward_hooks)
        if (a.size() != 3 || a[0]->kind != Kind::kTensor) Bad("bad _rebuild_parameter arguments");
        return a[0];
      case Global::kStorageType:
        Bad("calling torch.", callable->s, " is not supported");
    }
    Bad("unsupported call");
  }

  const uint8_t* p_;
  size_t n_;
  size_t pos_ = 0;
  size_t op_pos_ = 0;
  std::string what_;
  std::vector<ValuePtr> stack_;
  std::vector<size_t> marks_;
  std::unordered_map<uint64_t, ValuePtr> memo_;
};

const ValuePtr* DictFind(const Value& dict, const std::string& key) {
  for (const auto& e : dict.entries)
    if (e.first->kind == Kind::kString && e.first->s == key) return &e.second;
  return nullptr;
}

}  // namespace

std::vector<TorchTensorRecord> ParseTorchStateDictPickle(const void* data, size_t size,
                                                         const std::string& what) {
  Parser parser(data, size, what);
  ValuePtr root = parser.Run();
  FUNASR_CHECK(root->kind == Kind::kDict, ErrorCode::kFormatError, what,
               ": checkpoint holds a ", KindName(root->kind), ", expected a state dict");
  // FunASR's load_pretrained_model descends into these wrappers in this order.
  for (const char* wrapper : {"state_dict", "model_state_dict", "model"}) {
    const ValuePtr* inner = DictFind(*root, wrapper);
    if (inner != nullptr) {
      FUNASR_CHECK((*inner)->kind == Kind::kDict, ErrorCode::kFormatError, what, ": '", wrapper,
                   "' holds a ", KindName((*inner)->kind), ", expected a state dict");
      root = *inner;
    }
  }
  std::vector<TorchTensorRecord> out;
  std::unordered_map<std::string, bool> seen;
  for (const auto& [k, v] : root->entries) {
    if (v->kind != Kind::kTensor) continue;
    FUNASR_CHECK(k->kind == Kind::kString, ErrorCode::kFormatError, what,
                 ": state-dict key is a ", KindName(k->kind), ", expected str");
    FUNASR_CHECK(seen.emplace(k->s, true).second, ErrorCode::kFormatError, what,
                 ": duplicate tensor '", k->s, "'");
    TorchTensorRecord r = v->tensor;
    r.name = k->s;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace funasr::io
