# The module loader as a static library for the guest build:
#   include(${DUSIM_ROOT}/guest_os/update/loader/loader.cmake)
#   target_link_libraries(my_kernel PRIVATE dusim_module_loader)
# Safe to include more than once. Freestanding C++: like any GCC-compiled
# freestanding code it expects memcpy and memset from its environment.
set(DUSIM_MODULE_LOADER_DIR ${CMAKE_CURRENT_LIST_DIR})
set(DUSIM_MODULE_LOADER_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/module_loader.cc
    ${CMAKE_CURRENT_LIST_DIR}/elf_image.cc
    ${CMAKE_CURRENT_LIST_DIR}/reloc_ppc64.cc
    ${CMAKE_CURRENT_LIST_DIR}/call_stub.cc
    ${CMAKE_CURRENT_LIST_DIR}/save_restore.cc
    ${CMAKE_CURRENT_LIST_DIR}/cache_flush.cc
    ${CMAKE_CURRENT_LIST_DIR}/reason.cc)
if(CMAKE_CROSSCOMPILING AND NOT TARGET dusim_module_loader)
  add_library(dusim_module_loader STATIC ${DUSIM_MODULE_LOADER_SOURCES})
  target_include_directories(dusim_module_loader PUBLIC ${DUSIM_MODULE_LOADER_DIR})
  target_compile_features(dusim_module_loader PUBLIC cxx_std_20)
  target_compile_options(dusim_module_loader PRIVATE -O2 -g -Wall -Wextra -ffreestanding -fno-exceptions -fno-rtti
                         -msoft-float -mno-altivec -mno-vsx)
endif()
