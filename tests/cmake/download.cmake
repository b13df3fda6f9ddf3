# funasr-download against a local HTTP server on 127.0.0.1 that the test starts (resume,
# corrupt file, missing file, wrong URL, offline), run with Debian's python3.
if(FUNASR_BUILD_TOOLS)
  find_program(FUNASR_DOWNLOAD_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
  if(FUNASR_DOWNLOAD_PYTHON3)
    add_test(NAME download.funasr_download
             COMMAND ${FUNASR_DOWNLOAD_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/tools/download_test.py
                     $<TARGET_FILE:funasr-download> ${PROJECT_SOURCE_DIR}
                     ${PROJECT_BINARY_DIR}/test_tmp/download)
    set_tests_properties(download.funasr_download PROPERTIES TIMEOUT 600)
  endif()
endif()
