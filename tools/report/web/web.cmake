# The plotting library for report.html and sweep.html (Vega-Lite, Vega,
# vega-embed): fetched by npm at the exact versions of package-lock.json
# into the build folder, joined into one script (bundle.cmake) and built into
# the dusim binary (web_assets.cc), so every page is one file that works
# offline. Included by tools/CMakeLists.txt; sets DUSIM_PLOT_LIBRARY_JS.
find_program(DUSIM_NPM npm)
if(NOT DUSIM_NPM)
  message(FATAL_ERROR "npm is needed to fetch the plotting library for report.html (./dusim installs Debian's npm)")
endif()
set(web_src ${CMAKE_CURRENT_LIST_DIR})
set(web_out ${CMAKE_BINARY_DIR}/web)
set(DUSIM_PLOT_LIBRARY_JS ${web_out}/plot_library.js)
add_custom_command(
  OUTPUT ${DUSIM_PLOT_LIBRARY_JS}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${web_out}
  COMMAND ${CMAKE_COMMAND} -E copy ${web_src}/package.json ${web_src}/package-lock.json ${web_out}/
  # --ignore-scripts: nothing of the packages runs on this machine; only their
  # prebuilt browser bundles are used.
  COMMAND ${DUSIM_NPM} ci --no-audit --no-fund --ignore-scripts --loglevel=error
  COMMAND ${CMAKE_COMMAND} -DMODULES=${web_out}/node_modules -DOUT=${DUSIM_PLOT_LIBRARY_JS} -P ${web_src}/bundle.cmake
  WORKING_DIRECTORY ${web_out}
  DEPENDS ${web_src}/package.json ${web_src}/package-lock.json ${web_src}/bundle.cmake
  COMMENT "Fetching the plotting library (npm ci: vega, vega-lite, vega-embed)"
  VERBATIM)
add_custom_target(dusim_plot_library DEPENDS ${DUSIM_PLOT_LIBRARY_JS})
