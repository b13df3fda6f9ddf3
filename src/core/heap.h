// Returning freed heap memory to the OS after loading a model.
#pragma once

namespace funasr {

// Gives the C heap's free pages back to the OS (glibc: malloc_trim). Loading a model reads
// source tensors into heap blocks and frees them once their packed or int8 copies exist;
// glibc keeps freed blocks that lie below live ones mapped, ~200 MB after fp32
// paraformer-large from model.pt. A no-op with other C libraries.
void ReleaseFreeHeapMemory();

}  // namespace funasr
