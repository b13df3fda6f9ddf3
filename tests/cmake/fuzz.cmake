# libFuzzer targets (tests/fuzz/), only with -DFUNASR_BUILD_FUZZERS=ON and a clang compiler.
if(FUNASR_BUILD_FUZZERS)
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    add_subdirectory(${CMAKE_CURRENT_LIST_DIR}/../fuzz ${CMAKE_BINARY_DIR}/tests/fuzz)
  else()
    message(WARNING "FUNASR_BUILD_FUZZERS=ON needs clang (CMAKE_CXX_COMPILER=clang++); fuzzers not built")
  endif()
endif()
