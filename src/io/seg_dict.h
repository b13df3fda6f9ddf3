// seg_dict: "word piece1 piece2 ..." per line (whitespace separated, as FunASR's
// load_seg_dict splits it); used to tokenize hotwords and English words.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace funasr::io {

using SegDict = std::map<std::string, std::vector<std::string>>;

// Blank lines are skipped; a repeated word keeps its last entry (Python dict semantics).
SegDict ParseSegDict(std::string_view text, const std::string& file);
SegDict LoadSegDict(const std::string& path);

}  // namespace funasr::io
