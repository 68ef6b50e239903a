# dusim_find_guest_tests(MACRO OUT_NAMES SOURCE...): the guest tests declared
# in SOURCEs as lines `MACRO(name, "1,4,16")` (KTEST, UTEST). Sets OUT_NAMES
# to their names and, for each, MACRO_cpus_<name> to its CPU counts, in the
# caller's scope; tests/guest and tests/update make one ctest case per pair.
function(dusim_find_guest_tests macro out)
  set(names "")
  foreach(src ${ARGN})
    file(STRINGS ${src} decls REGEX "^${macro}\\([a-z0-9_]+, *\"[0-9,]+\"\\)")
    foreach(d ${decls})
      string(REGEX REPLACE "^${macro}\\(([a-z0-9_]+), *\"([0-9,]+)\"\\).*" "\\1;\\2" parts "${d}")
      list(GET parts 0 name)
      list(GET parts 1 cpus)
      string(REPLACE "," ";" cpus "${cpus}")
      list(APPEND names ${name})
      set(${macro}_cpus_${name} ${cpus} PARENT_SCOPE)
    endforeach()
  endforeach()
  set(${out} ${names} PARENT_SCOPE)
endfunction()
