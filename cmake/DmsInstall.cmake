include(CMakePackageConfigHelpers)

# Two components, which are also the two Debian packages (cmake/DmsPackaging.cmake):
#   runtime      the shared libraries (libdms.so.0, libdms_c.so.0) and the dms command
#   development  headers, the .so links, the CMake package and the pkg-config file
install(TARGETS dms_core dms_c EXPORT dmsTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime
                NAMELINK_COMPONENT development
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET dms_cli)
  install(TARGETS dms_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
  install(FILES ${PROJECT_SOURCE_DIR}/docs/dms.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
          COMPONENT runtime)
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/dms DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT development FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/include/dms/version.hpp
              ${PROJECT_BINARY_DIR}/include/dms/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/dms COMPONENT development)
install(EXPORT dmsTargets NAMESPACE dms:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/dms
        COMPONENT development)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/dmsConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/dmsConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/dms)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/dmsConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/dmsConfig.cmake ${PROJECT_BINARY_DIR}/dmsConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/dms COMPONENT development)

# The .pc file locates the prefix from its own folder, so the installed tree is relocatable.
file(RELATIVE_PATH DMS_PC_TO_PREFIX ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig
     ${CMAKE_INSTALL_PREFIX})
configure_file(${PROJECT_SOURCE_DIR}/cmake/dms.pc.in ${PROJECT_BINARY_DIR}/dms.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/dms.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
        COMPONENT development)

include(cmake/DmsPackaging.cmake)
