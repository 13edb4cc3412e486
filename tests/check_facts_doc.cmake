# docs/facts.md must be what `memforensics facts --markdown` prints.
execute_process(COMMAND ${TOOL} facts --markdown OUTPUT_FILE ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "memforensics facts failed: ${rc}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT} ${DOC} RESULT_VARIABLE diff)
if(NOT diff EQUAL 0)
  message(FATAL_ERROR "docs/facts.md is stale: run `memforensics facts --markdown > docs/facts.md`")
endif()
