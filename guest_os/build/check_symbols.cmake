# Fails when a symbol's address differs between the two kernel link passes
# (the embedded symbol table must not move anything). Symbols of the table
# itself and the image end are exempt.
foreach(p PASS1 PASS2)
  execute_process(COMMAND ${NM} --defined-only ${${p}} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "nm ${${p}} failed")
  endif()
  string(REGEX REPLACE "[^\n]* (__ksymtab_end|_end)\n" "" out "${out}")
  string(REGEX REPLACE "([0-9a-f]+) [A-Za-z] " "\\1 " out "${out}")  # the type letter may differ
  set(${p}_SYMS "${out}")
endforeach()
if(NOT PASS1_SYMS STREQUAL PASS2_SYMS)
  file(WRITE ${PASS2}.pass1.nm "${PASS1_SYMS}")
  file(WRITE ${PASS2}.pass2.nm "${PASS2_SYMS}")
  message(FATAL_ERROR "the embedded symbol table moved symbols: compare ${PASS2}.pass1.nm and ${PASS2}.pass2.nm")
endif()
