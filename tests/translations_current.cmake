# ctest's tst_translations_current: is the tracked .ts what lupdate makes of today's code?
# It runs lupdate on a copy (the build never rewrites the tracked file) and compares. When it
# fails: `cmake --build build --target update_translations`, translate what is new (Qt
# Linguist, or by hand in the .ts), and commit the .ts with the code.
#
#   cmake -DLUPDATE=... -DGENERATOR=... -DPROJECT_IN=... -DTS_FILE=... -DWORK_DIR=... -P <this>

foreach(var LUPDATE GENERATOR PROJECT_IN TS_FILE WORK_DIR)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "translations_current.cmake: ${var} is not set")
    endif()
endforeach()

file(MAKE_DIRECTORY "${WORK_DIR}")
get_filename_component(ts_name "${TS_FILE}" NAME)
set(copy "${WORK_DIR}/${ts_name}")
set(project_json "${WORK_DIR}/project.json")
file(COPY_FILE "${TS_FILE}" "${copy}")

# Qt's own step that turns the configure-time description of the sources into lupdate's project.
execute_process(COMMAND "${CMAKE_COMMAND}" -DIN_FILE=${PROJECT_IN} -DOUT_FILE=${project_json}
                        -P "${GENERATOR}"
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "could not make lupdate's project file from ${PROJECT_IN}")
endif()
execute_process(COMMAND "${LUPDATE}" -project "${project_json}" -no-obsolete -locations none
                        -ts "${copy}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "lupdate failed:\n${out}")
endif()

execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${TS_FILE}" "${copy}"
                RESULT_VARIABLE differ)
if(differ)
    execute_process(COMMAND diff -u "${TS_FILE}" "${copy}" OUTPUT_VARIABLE diff_text)
    message(FATAL_ERROR
        "${TS_FILE} is stale: the code's strings changed. Run\n"
        "  cmake --build <build dir> --target update_translations\n"
        "translate what it marks unfinished, and commit the .ts. lupdate would change:\n"
        "${diff_text}")
endif()
message(STATUS "${ts_name} is current")
