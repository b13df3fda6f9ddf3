# funasr-features (the README's interim main job): runs on the bundled sample and prints the
# Paraformer feature shape; streaming mode gives the same; a missing file fails cleanly.
if(TARGET funasr-features)
  set(FUNASR_FEATURES_ARGS ${PROJECT_SOURCE_DIR}/tests/data/reference/wavs/asr_example_zh.wav
      --model ${PROJECT_SOURCE_DIR}/tests/data/reference/models/paraformer-tiny)
  add_test(NAME tool.features COMMAND funasr-features ${FUNASR_FEATURES_ARGS})
  set_tests_properties(tool.features PROPERTIES
    PASS_REGULAR_EXPRESSION "features  \\[93, 560\\]  min +-2\\.117")
  add_test(NAME tool.features_streaming COMMAND funasr-features ${FUNASR_FEATURES_ARGS} --chunk-ms 37)
  set_tests_properties(tool.features_streaming PROPERTIES
    PASS_REGULAR_EXPRESSION "features  \\[93, 560\\]  min +-2\\.117")
  add_test(NAME tool.features_missing_file COMMAND funasr-features /nonexistent/audio.wav)
  set_tests_properties(tool.features_missing_file PROPERTIES WILL_FAIL TRUE)
endif()
