# Joins the browser bundles of the plotting library into one script for
# report.html and sweep.html: vega, then vega-lite, then vega-embed (each
# expects the ones before it as globals). Source-map comments are dropped
# (the page is one file; there are no maps beside it), and a bundle that
# contains "</script" would end the page's <script> element early, so it
# is refused.
#   cmake -DMODULES=node_modules -DOUT=plot_library.js -P bundle.cmake
set(text "")
foreach(pkg vega vega-lite vega-embed)
  file(READ ${MODULES}/${pkg}/package.json manifest)
  string(JSON version GET "${manifest}" version)
  string(JSON license GET "${manifest}" license)
  file(READ ${MODULES}/${pkg}/build/${pkg}.min.js body)
  string(REGEX REPLACE "\n//# sourceMappingURL=[^\n]*" "" body "${body}")
  string(FIND "${body}" "</script" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "${pkg}.min.js contains </script: it cannot be inlined in a page")
  endif()
  string(APPEND text "/* ${pkg} ${version} (${license} licence, https://www.npmjs.com/package/${pkg}) */\n${body}\n")
endforeach()
file(WRITE ${OUT}.tmp "${text}")
file(RENAME ${OUT}.tmp ${OUT})
