# Guest tests: KTEST bodies compiled into the test kernel, one ctest case per
# test and CPU count (tests/guest, tests/objects, tests/update).

# dusim_find_guest_tests(OUT_NAMES SOURCE...): the guest tests declared in
# SOURCEs as lines `KTEST(name, "1,4,16")`. Sets OUT_NAMES to their names
# and, in the caller's scope, for each name KTEST_cpus_<name> to its CPU
# counts and KTEST_report_<name> to the patterns of its `KTEST_REPORT(name,
# "pattern")` lines (what the host's fault report must show; ktest.h).
function(dusim_find_guest_tests out)
  set(names "")
  foreach(src ${ARGN})
    file(STRINGS ${src} decls REGEX "^KTEST\\([a-z0-9_]+, *\"[0-9,]+\"\\)")
    foreach(d ${decls})
      string(REGEX REPLACE "^KTEST\\(([a-z0-9_]+), *\"([0-9,]+)\"\\).*" "\\1;\\2" parts "${d}")
      list(GET parts 0 name)
      list(GET parts 1 cpus)
      string(REPLACE "," ";" cpus "${cpus}")
      list(APPEND names ${name})
      set(KTEST_cpus_${name} ${cpus} PARENT_SCOPE)
    endforeach()
    file(STRINGS ${src} reports REGEX "^KTEST_REPORT\\([a-z0-9_]+, *\".*\"\\);$")
    foreach(d ${reports})
      string(REGEX REPLACE "^KTEST_REPORT\\(([a-z0-9_]+), *\"(.*)\"\\);$" "\\1" name "${d}")
      string(REGEX REPLACE "^KTEST_REPORT\\(([a-z0-9_]+), *\"(.*)\"\\);$" "\\2" pattern "${d}")
      string(REPLACE "\\\\" "\\" pattern "${pattern}")  # the C string's escapes
      list(APPEND report_${name} "${pattern}")
      set(KTEST_report_${name} ${report_${name}} PARENT_SCOPE)
    endforeach()
  endforeach()
  set(${out} ${names} PARENT_SCOPE)
endfunction()

# dusim_guest_test_objects(TARGET SOURCE...): in the guest build, the test
# sources compiled as the kernel's own code, for the test kernel.
function(dusim_guest_test_objects target)
  add_library(${target} OBJECT ${ARGN})
  target_link_libraries(${target} PRIVATE guest_kernel_code)
endfunction()

# dusim_module_flags(OUT): the flags every update module is compiled with,
# from guest_os/include/dusim/module_flags.def (which the dusim tool reads
# too); a change to the file reconfigures.
function(dusim_module_flags out)
  set(def ${DUSIM_ROOT}/guest_os/include/dusim/module_flags.def)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${def})
  file(STRINGS ${def} lines REGEX "^MODULE_FLAG\\(\"[^\"]+\"\\)$")
  set(flags "")
  foreach(l ${lines})
    string(REGEX REPLACE "^MODULE_FLAG\\(\"([^\"]+)\"\\)$" "\\1" f "${l}")
    list(APPEND flags ${f})
  endforeach()
  if(NOT flags)
    message(FATAL_ERROR "no MODULE_FLAG line in ${def}")
  endif()
  set(${out} ${flags} PARENT_SCOPE)
endfunction()
