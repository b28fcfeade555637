include(CMakePackageConfigHelpers)

install(TARGETS dms_core dms_c EXPORT dmsTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/dms DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/include/dms/version.hpp
              ${PROJECT_BINARY_DIR}/include/dms/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/dms)
install(EXPORT dmsTargets NAMESPACE dms:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/dms)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/dmsConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/dmsConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/dms)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/dmsConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/dmsConfig.cmake ${PROJECT_BINARY_DIR}/dmsConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/dms)

# The .pc file locates the prefix from its own folder, so the installed tree is relocatable.
file(RELATIVE_PATH DMS_PC_TO_PREFIX ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig
     ${CMAKE_INSTALL_PREFIX})
configure_file(${PROJECT_SOURCE_DIR}/cmake/dms.pc.in ${PROJECT_BINARY_DIR}/dms.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/dms.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
