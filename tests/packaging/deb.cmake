# The Debian packages: runs cpack (DEB) in the build tree, checks both packages' contents and
# control fields, extracts them with dpkg-deb -x into a scratch root, then builds and runs the
# consumer program (tests/consumer) against that root with find_package and pkg-config, and runs
# the packaged dms command. Arguments: DMS_BUILD_DIR, DMS_SOURCE_DIR, WORK_DIR.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(root ${WORK_DIR}/root)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(LAST_OUTPUT "${out}" PARENT_SCOPE)
endfunction()

string(TIMESTAMP started "%s")
run(cpack --config ${DMS_BUILD_DIR}/CPackConfig.cmake -G DEB -B ${WORK_DIR}/out)
string(TIMESTAMP finished "%s")
math(EXPR seconds "${finished} - ${started}")
message(STATUS "cpack: ${seconds} s")

file(GLOB runtime_deb ${WORK_DIR}/out/libdms_*.deb)
file(GLOB dev_deb ${WORK_DIR}/out/libdms-dev_*.deb)
if(NOT runtime_deb OR NOT dev_deb)
  file(GLOB all ${WORK_DIR}/out/*.deb)
  message(FATAL_ERROR "expected libdms_*.deb and libdms-dev_*.deb, found: ${all}")
endif()

# contents: every path a package must hold, and those it must not
function(check_contents deb)
  cmake_parse_arguments(PARSE_ARGV 1 C "" "" "HAS;LACKS")
  run(dpkg-deb -c ${deb})
  set(listing "${LAST_OUTPUT}")
  foreach(path ${C_HAS})
    string(FIND "${listing}" " ./${path}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "${deb} lacks ${path}:\n${listing}")
    endif()
  endforeach()
  foreach(pattern ${C_LACKS})
    if(listing MATCHES "${pattern}")
      message(FATAL_ERROR "${deb} must not hold ${pattern}:\n${listing}")
    endif()
  endforeach()
  message(STATUS "${deb}:\n${listing}")
endfunction()

check_contents(${runtime_deb}
  HAS usr/lib/libdms.so.0 usr/lib/libdms.so.0.1.0 usr/lib/libdms_c.so.0 usr/lib/libdms_c.so.0.1.0
      usr/bin/dms usr/share/man/man1/dms.1
  LACKS "usr/include" "libdms\\.so -> " "libdms_c\\.so -> " "cmake/dms" "pkgconfig")
check_contents(${dev_deb}
  HAS usr/include/dms/dms.h usr/include/dms/database.hpp usr/include/dms/version.hpp
      usr/include/dms/version.h usr/lib/libdms.so usr/lib/libdms_c.so
      usr/lib/cmake/dms/dmsConfig.cmake usr/lib/cmake/dms/dmsConfigVersion.cmake
      usr/lib/cmake/dms/dmsTargets.cmake usr/lib/pkgconfig/dms.pc
  LACKS "usr/bin" "\\.so\\.0\\.1\\.0\n")

run(dpkg-deb -f ${dev_deb} Depends)
if(NOT LAST_OUTPUT MATCHES "libdms \\(= 0\\.1\\.0\\)")
  message(FATAL_ERROR "libdms-dev must depend on libdms (= 0.1.0): ${LAST_OUTPUT}")
endif()
run(dpkg-deb -f ${runtime_deb} Depends)
if(NOT LAST_OUTPUT MATCHES "libprotobuf" OR NOT LAST_OUTPUT MATCHES "libsodium")
  message(FATAL_ERROR "libdms must depend on its shared libraries: ${LAST_OUTPUT}")
endif()

run(dpkg-deb -x ${runtime_deb} ${root})
run(dpkg-deb -x ${dev_deb} ${root})

# find_package(dms) from the extracted root
run(${CMAKE_COMMAND} -S ${DMS_SOURCE_DIR}/tests/consumer -B ${WORK_DIR}/build
    -DCMAKE_PREFIX_PATH=${root}/usr -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run(${WORK_DIR}/build/consumer)
if(NOT LAST_OUTPUT MATCHES "0.1 \\+ 0.2 = 0.30")
  message(FATAL_ERROR "unexpected consumer output: ${LAST_OUTPUT}")
endif()
run(${WORK_DIR}/build/consumer_c)
if(NOT LAST_OUTPUT MATCHES "\"echo\":\"from C\"")
  message(FATAL_ERROR "unexpected C consumer output: ${LAST_OUTPUT}")
endif()
message(STATUS "find_package consumers against the packages: ok")

# pkg-config from the extracted root
find_program(PKG_CONFIG pkg-config REQUIRED)
set(ENV{PKG_CONFIG_PATH} ${root}/usr/lib/pkgconfig)
run(${PKG_CONFIG} --cflags --libs dms)
string(STRIP "${LAST_OUTPUT}" flags)
if(NOT flags MATCHES "-I${root}/usr/")
  message(FATAL_ERROR "pkg-config does not point into the extracted root: ${flags}")
endif()
separate_arguments(flags UNIX_COMMAND "${flags}")
run(c++ ${DMS_SOURCE_DIR}/tests/consumer/main.cpp ${flags} -o ${WORK_DIR}/consumer_pc)
set(ENV{LD_LIBRARY_PATH} ${root}/usr/lib)
run(${WORK_DIR}/consumer_pc)
message(STATUS "pkg-config consumer against the packages: ${LAST_OUTPUT}")
unset(ENV{LD_LIBRARY_PATH})

# the packaged dms command finds its libraries through RPATH $ORIGIN/../lib
run(${root}/usr/bin/dms --db ${WORK_DIR}/dealer.db --json init --email admin@dealer.in
    --phone +919800000001)
if(NOT LAST_OUTPUT MATCHES "\"adminCreated\":true")
  message(FATAL_ERROR "the packaged dms init failed: ${LAST_OUTPUT}")
endif()
run(ldd ${root}/usr/bin/dms)
if(NOT LAST_OUTPUT MATCHES "${root}/usr/bin/../lib/libdms.so.0")
  message(FATAL_ERROR "the packaged dms does not use the packaged libdms:\n${LAST_OUTPUT}")
endif()
