# Installs the built library into a scratch prefix, then builds and runs a tiny outside project
# with find_package(dms CONFIG REQUIRED), and compiles it once more with `pkg-config dms`.
set(prefix ${WORK_DIR}/prefix)
# A sanitized libdms needs the sanitizer runtime first in the consumer too.
set(extra_flags "")
if(SANITIZE)
  set(extra_flags "-fsanitize=address,undefined")
endif()
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(LAST_OUTPUT "${out}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install ${DMS_BUILD_DIR} --prefix ${prefix})
run(${CMAKE_COMMAND} -S ${DMS_SOURCE_DIR}/tests/consumer -B ${WORK_DIR}/build
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS=${extra_flags}" "-DCMAKE_C_FLAGS=${extra_flags}")
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run(${WORK_DIR}/build/consumer)
message(STATUS "find_package consumer: ${LAST_OUTPUT}")
if(NOT LAST_OUTPUT MATCHES "0.1 \\+ 0.2 = 0.30")
  message(FATAL_ERROR "unexpected consumer output: ${LAST_OUTPUT}")
endif()
run(${WORK_DIR}/build/consumer_c)
message(STATUS "find_package C consumer: ${LAST_OUTPUT}")
if(NOT LAST_OUTPUT MATCHES "\"echo\":\"from C\"")
  message(FATAL_ERROR "unexpected C consumer output: ${LAST_OUTPUT}")
endif()

find_program(PKG_CONFIG pkg-config REQUIRED)
set(ENV{PKG_CONFIG_PATH} ${prefix}/lib/pkgconfig:${prefix}/lib/x86_64-linux-gnu/pkgconfig)
run(${PKG_CONFIG} --cflags --libs dms)
string(STRIP "${LAST_OUTPUT}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
run(c++ ${extra_flags} ${DMS_SOURCE_DIR}/tests/consumer/main.cpp ${flags} -o ${WORK_DIR}/consumer_pc)
# The pkg-config binary finds libdms through the install prefix at run time.
set(ENV{LD_LIBRARY_PATH} ${prefix}/lib:${prefix}/lib/x86_64-linux-gnu)
run(${WORK_DIR}/consumer_pc)
message(STATUS "pkg-config consumer: ${LAST_OUTPUT}")
