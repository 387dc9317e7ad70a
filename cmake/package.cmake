# The Debian package: "cpack -G DEB" in the build tree makes
# dalil_VERSION_amd64.deb for an offline Debian 12 PC, installed from a USB
# stick with the packages it depends on (apt-get install ./dalil_*.deb).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME dalil)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# The unit that ships the package sets its own address: -DDALIL_MAINTAINER=...
# (lintian reports the placeholder's mail host as bogus until it does).
set(DALIL_MAINTAINER "dalil maintainers <dalil@localhost>" CACHE STRING
  "Maintainer of the Debian package: Name <address>")
set(CPACK_PACKAGE_CONTACT "${DALIL_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "offline case management for trafficking and smuggling investigators")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "dalil keeps cases, persons, devices, chain of custody, provider requests,
notes and digital evidence in one local SQLite store with a hash-chained
audit log. It has an Arabic and English terminal workstation and a command
line, ingests evidence archives, extracts identifiers, prints court reports
(PDF) and exchanges signed case bundles between units, all without a network.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# The debug symbols of RelWithDebInfo stay in the build tree.
set(CPACK_STRIP_FILES ON)
# The shared libraries' packages come from dpkg-shlibdeps on the binary, so
# they are exactly what it links; the fonts are loaded by name at run time
# (reports/pdf.c: Amiri, DejaVu Serif, DejaVu Sans Mono), which no linker sees.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The font packages come from reports/fonts.list, the one list of them.
file(STRINGS ${PROJECT_SOURCE_DIR}/reports/fonts.list dalil_font_lines REGEX "^[^#]")
set(dalil_font_packages)
foreach(line IN LISTS dalil_font_lines)
  string(REPLACE "\t" ";" fields "${line}")
  list(GET fields 1 pkg)
  list(APPEND dalil_font_packages ${pkg})
endforeach()
list(REMOVE_DUPLICATES dalil_font_packages)
list(JOIN dalil_font_packages ", " dalil_font_depends)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${dalil_font_depends}")
# Only the program: the build tree's test programs, benches and libraries
# install nothing, and the package holds what "cmake --install" puts.
include(CPack)
