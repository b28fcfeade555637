# Debian packages through CPack (`cpack -G DEB` in a build tree; tests/packaging/deb.cmake):
#   libdms      the runtime component: shared libraries and the dms command
#   libdms-dev  the development component: headers, CMake package, pkg-config file
set(CPACK_PACKAGE_NAME libdms)
set(CPACK_PACKAGE_VENDOR "libdms")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "libdms maintainers <dms@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime development)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME libdms)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
# dpkg-shlibdeps names libprotobuf, libpqxx, libsodium, libsqlite3, libstdc++ ... from the ELF files.
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME libdms-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
# The CMake package needs nlohmann_json's (the service API's document type).
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS "libdms (= ${PROJECT_VERSION}), nlohmann-json3-dev")
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION "libdms shared libraries and the dms command")
set(CPACK_COMPONENT_DEVELOPMENT_DESCRIPTION "libdms headers, CMake package and pkg-config file")
set(CPACK_COMPONENT_DEVELOPMENT_DEPENDS runtime)
include(CPack)
