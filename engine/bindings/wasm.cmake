# The WebAssembly module: engine/bindings/bindings.cpp + the gradlab library, as one ES module
# with the wasm embedded (build/wasm/gradlab-engine.mjs). Included by engine/CMakeLists.txt under
# emcmake only. The site build copies the module next to web/engine/gradlab.js in dist/engine/.
#
# Flags, and why (see /work/shared/TOOLCHAIN.md):
#   -fwasm-exceptions on every compile AND the link: otherwise a C++ throw reaches JS as a bare
#                number and destructors are skipped. bindings.cpp catches everything at the boundary.
#                Native wasm exceptions (Node 20, Chromium) instead of JS-emulated -fexceptions: no
#                invoke_* trampolines, so the module is ~11 KB gz smaller and calls are cheaper.
#   -O3 -msimd128 -DNDEBUG: fast xtensor loops; NDEBUG keeps xtensor's iostream out (size).
#   -Os on the cold files only (COLD_SOURCES below): code run once per user action (parsing specs,
#                building datasets, the lesson Graph on tiny tensors, gradcheck, the binding) is
#                half the module. Measured: -33 KB gz; a small Graph build+forward+backward goes
#                from ~60 to ~100 us, invisible interactively. The hot paths (nn, loss, optim,
#                train, landscape) stay -O3: -Os there makes xtensor loops many times slower.
#   MALLOC=emmalloc: smaller than dlmalloc (-2.5 KB gz), MLP training speed unchanged; it still
#                provides mallinfo() for memory_stats() (the leak tests).
#   MODULARIZE + EXPORT_ES6 + ENVIRONMENT=web + SINGLE_FILE: one import-able file that loads in
#                browsers, Vite and node --test alike (Node's global fetch breaks a separate .wasm).
#   DYNAMIC_EXECUTION=0: no eval/new Function, so pages with a strict CSP can load the engine.
target_compile_options(gradlab PUBLIC -fwasm-exceptions -msimd128)
target_compile_definitions(gradlab PUBLIC $<$<NOT:$<CONFIG:Debug>>:NDEBUG>)

set(COLD_SOURCES
  "${CMAKE_CURRENT_LIST_DIR}/bindings.cpp"
  "${CMAKE_CURRENT_SOURCE_DIR}/src/data.cpp"
  "${CMAKE_CURRENT_SOURCE_DIR}/src/functions.cpp"
  "${CMAKE_CURRENT_SOURCE_DIR}/src/gradcheck.cpp"
  "${CMAKE_CURRENT_SOURCE_DIR}/src/graph.cpp")
set_source_files_properties(${COLD_SOURCES} PROPERTIES COMPILE_OPTIONS "$<$<NOT:$<CONFIG:Debug>>:-Os>")

add_executable(gradlab_engine "${CMAKE_CURRENT_LIST_DIR}/bindings.cpp")
target_link_libraries(gradlab_engine PRIVATE gradlab)
target_compile_options(gradlab_engine PRIVATE -Wall -Wextra)
set_target_properties(gradlab_engine PROPERTIES
  OUTPUT_NAME "gradlab-engine"
  SUFFIX ".mjs"
  RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}")
target_link_options(gradlab_engine PRIVATE
  -fwasm-exceptions
  $<$<NOT:$<CONFIG:Debug>>:-O3>
  --bind
  -sMODULARIZE=1
  -sEXPORT_ES6=1
  -sEXPORT_NAME=createGradlabEngine
  -sENVIRONMENT=web
  -sSINGLE_FILE=1
  -sALLOW_MEMORY_GROWTH=1
  -sDYNAMIC_EXECUTION=0
  -sFILESYSTEM=0
  -sMALLOC=emmalloc
  -sEXPORTED_RUNTIME_METHODS=[]
  -sINCOMING_MODULE_JS_API=[locateFile,print,printErr,wasmBinary,onAbort])
