# C API tests: a C program compiled as C (C89 and C99, pedantic, warnings as errors) that
# links the shared libfunasr, and a Python ctypes test run with Debian's python3.
set(FUNASR_CAPI_TEST_DIR ${CMAKE_CURRENT_SOURCE_DIR}/capi)
foreach(std 90 99)
  add_executable(capi_c${std}_test ${FUNASR_CAPI_TEST_DIR}/capi_test.c)
  set_target_properties(capi_c${std}_test PROPERTIES LINKER_LANGUAGE C
    C_STANDARD ${std} C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
  target_compile_options(capi_c${std}_test PRIVATE -Wall -Wextra -pedantic -Werror)
  target_include_directories(capi_c${std}_test PRIVATE ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(capi_c${std}_test PRIVATE funasr)
  add_test(NAME capi.c${std} COMMAND capi_c${std}_test ${PROJECT_SOURCE_DIR}
           WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
  set_tests_properties(capi.c${std} PROPERTIES TIMEOUT 300)
endforeach()

# Debian's interpreter on purpose: the one on PATH may be a pyenv build without ctypes
# guarantees; the test needs only the standard library.
find_program(FUNASR_DEBIAN_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(FUNASR_DEBIAN_PYTHON3)
  add_test(NAME capi.python_ctypes
           COMMAND ${FUNASR_DEBIAN_PYTHON3} ${FUNASR_CAPI_TEST_DIR}/capi_ctypes_test.py
                   $<TARGET_FILE:funasr> ${PROJECT_SOURCE_DIR}
           WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
  set_tests_properties(capi.python_ctypes PROPERTIES TIMEOUT 300)
endif()
