# Installation: `cmake --install build --prefix P` puts
#   P/include/plexus/...                       the public headers (src/plexus/**/*.hpp)
#   P/lib/libplexus.a, libplexus_plot.a,       the libraries
#     libplexus_interop.a, libplexus_run.a
#   P/bin/plexus                               the command
#   P/lib/cmake/plexus/plexusConfig.cmake      find_package(plexus): targets plexus::plexus, plexus::plot,
#                                              plexus::interop, plexus::run
#   P/lib/pkgconfig/plexus.pc, plexus-plot.pc, pkg-config
#     plexus-run.pc
# and `cpack -G DEB` (in the build folder) packs the same tree into a .deb.
#
# The exported targets carry what their users must compile with: C++20,
# PLEXUS_SCALAR and Eigen's pinned alignment (see src/plexus/core/abi.hpp); not
# -march=native, which stays inside the library's own build.
include(CMakePackageConfigHelpers)

set(PLEXUS_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/plexus)

# Installs and exports one library as plexus::<export_name>. A new library target
# is one more line below (e.g. `plexus_install_library(plexus_run run)`); its
# dependencies' find_dependency go into cmake/plexusConfig.cmake.in.
function(plexus_install_library target export_name)
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${export_name})
  install(TARGETS ${target} EXPORT plexusTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development)
  add_library(plexus::${export_name} ALIAS ${target})
endfunction()

plexus_install_library(plexus plexus)
plexus_install_library(plexus_plot plot)
# Keras import / ONNX export (with whichever of HDF5+libzip and ONNX+protobuf were found)
# and the run pipeline behind `plexus train` (run_training: data, fit, report, run folder).
plexus_install_library(plexus_interop interop)
plexus_install_library(plexus_run run)
# What plexus_interop was built with: the package's config finds the same libraries again.
foreach(part KERAS_FILES ONNX)
  if(PLEXUS_INTEROP_${part})
    set(PLEXUS_INTEROP_${part} ON)
  else()
    set(PLEXUS_INTEROP_${part} OFF)
  endif()
endforeach()

install(TARGETS plexus_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/src/plexus DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT development FILES_MATCHING PATTERN "*.hpp")

install(EXPORT plexusTargets NAMESPACE plexus:: DESTINATION ${PLEXUS_CMAKE_DIR} COMPONENT development)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/plexusConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/plexusConfig.cmake INSTALL_DESTINATION ${PLEXUS_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/plexusConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/plexusConfig.cmake ${PROJECT_BINARY_DIR}/plexusConfigVersion.cmake
        DESTINATION ${PLEXUS_CMAKE_DIR} COMPONENT development)

# pkg-config: prefix relative to the .pc file, so an install with --prefix elsewhere still works.
set(PLEXUS_PC_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH PLEXUS_PC_TO_PREFIX /${PLEXUS_PC_DIR} /)
string(REGEX REPLACE "/$" "" PLEXUS_PC_TO_PREFIX "${PLEXUS_PC_TO_PREFIX}")
set(PLEXUS_PC_CFLAGS "-DPLEXUS_SCALAR=float -DEIGEN_MAX_ALIGN_BYTES=${PLEXUS_EIGEN_ALIGN_BYTES} -DEIGEN_MAX_STATIC_ALIGN_BYTES=${PLEXUS_EIGEN_ALIGN_BYTES}")
set(PLEXUS_PC_REQUIRES "eigen3 >= 3.4, nlohmann_json")
if(PLEXUS_OPENBLAS)
  string(APPEND PLEXUS_PC_REQUIRES ", openblas")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/plexus.pc.in ${PROJECT_BINARY_DIR}/plexus.pc @ONLY)
configure_file(${CMAKE_CURRENT_LIST_DIR}/plexus-plot.pc.in ${PROJECT_BINARY_DIR}/plexus-plot.pc @ONLY)
# plexus-run.pc: the run pipeline and plexus_interop, whose optional libraries are linked
# (static libraries: in Libs, as plexus.pc does) only when the build used them.
set(PLEXUS_RUN_PC_REQUIRES "plexus-plot = ${PROJECT_VERSION}, fmt")
set(PLEXUS_RUN_PC_CFLAGS "")
set(PLEXUS_RUN_PC_LIBS "")  # after -lplexus_run -lplexus_interop
if(PLEXUS_INTEROP_KERAS_FILES)
  string(APPEND PLEXUS_RUN_PC_REQUIRES ", hdf5, libzip")
  string(APPEND PLEXUS_RUN_PC_CFLAGS " -DPLEXUS_HAVE_KERAS_FILES=1")
endif()
if(PLEXUS_INTEROP_ONNX)
  string(APPEND PLEXUS_RUN_PC_REQUIRES ", protobuf")
  string(APPEND PLEXUS_RUN_PC_CFLAGS " -DPLEXUS_HAVE_ONNX=1")
  string(APPEND PLEXUS_RUN_PC_LIBS " -lonnx_proto")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/plexus-run.pc.in ${PROJECT_BINARY_DIR}/plexus-run.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/plexus.pc ${PROJECT_BINARY_DIR}/plexus-plot.pc ${PROJECT_BINARY_DIR}/plexus-run.pc
        DESTINATION ${PLEXUS_PC_DIR} COMPONENT development)

# Debian package: `cpack -G DEB` in the build folder. Build it with -DPLEXUS_NATIVE=OFF
# for machines other than the build machine (-march=native code stops with an
# illegal instruction on an older CPU).
if(PLEXUS_NATIVE)
  message(STATUS "PLEXUS_NATIVE=ON: an installed or packaged plexus runs only on CPUs like this one; "
                 "configure with -DPLEXUS_NATIVE=OFF for a portable install")
endif()
set(CPACK_PACKAGE_NAME plexus)
set(CPACK_PACKAGE_VENDOR "Plexus")
set(CPACK_PACKAGE_CONTACT "Plexus maintainers <plexus@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Dense neural networks in C++20 with a training doctor: library, headers and the plexus command")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.invalid/plexus")
# The command links Cairo, giflib, zlib, fmt (and HDF5, libzip, ONNX and protobuf when
# plexus_interop has them); the static libraries' users need the headers of Eigen and
# nlohmann-json and the same libraries to link: their -dev packages bring both.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libc6, libstdc++6, libcairo2, libgif7, zlib1g, libeigen3-dev (>= 3.4), nlohmann-json3-dev, libcairo2-dev, libgif-dev, zlib1g-dev, libfmt-dev, pkg-config")
if(PLEXUS_INTEROP_KERAS_FILES)
  string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", libhdf5-dev, libzip-dev")
endif()
if(PLEXUS_INTEROP_ONNX)
  string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", libonnx-dev, libprotobuf-dev")
endif()
include(CPack)
