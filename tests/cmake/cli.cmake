# funasr-transcribe: unit tests of its output formats and input handling (compiled from
# tools/transcribe/ without its main.cc), and behaviour tests of the binary (exit codes,
# outputs, error cases) driven by Debian's python3.
set(FUNASR_TRANSCRIBE_DIR ${PROJECT_SOURCE_DIR}/tools/transcribe)
file(GLOB FUNASR_TRANSCRIBE_LIB_SRC CONFIGURE_DEPENDS ${FUNASR_TRANSCRIBE_DIR}/*.cc)
list(REMOVE_ITEM FUNASR_TRANSCRIBE_LIB_SRC ${FUNASR_TRANSCRIBE_DIR}/main.cc)
add_executable(transcribe_format_test ${CMAKE_CURRENT_SOURCE_DIR}/tools/transcribe_format_test.cc
               ${FUNASR_TRANSCRIBE_LIB_SRC})
target_include_directories(transcribe_format_test PRIVATE ${FUNASR_TRANSCRIBE_DIR})
target_link_libraries(transcribe_format_test PRIVATE funasr_test_common GTest::gtest_main)
gtest_discover_tests(transcribe_format_test DISCOVERY_TIMEOUT 60
  WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} PROPERTIES TIMEOUT 300)

if(FUNASR_BUILD_TOOLS)
  find_program(FUNASR_CLI_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
  if(FUNASR_CLI_PYTHON3)
    add_test(NAME cli.transcribe
             COMMAND ${FUNASR_CLI_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/tools/transcribe_cli_test.py
                     $<TARGET_FILE:funasr-transcribe> ${PROJECT_SOURCE_DIR}
                     ${PROJECT_BINARY_DIR}/test_tmp/cli)
    set_tests_properties(cli.transcribe PROPERTIES TIMEOUT 600)
  endif()
endif()
