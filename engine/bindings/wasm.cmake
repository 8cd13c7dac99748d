# The WebAssembly module: engine/bindings/bindings.cpp + the gradlab library, as an ES module and
# its wasm (build/wasm/gradlab-engine.mjs + gradlab-engine.wasm). Included by
# engine/CMakeLists.txt under emcmake only. The site build copies both into dist/assets/, next to
# the widget bundle (and minifies the .mjs); web/site/portable.mjs inlines the wasm for file://.
#
# Flags, and why (see /work/shared/TOOLCHAIN.md):
#   -fwasm-exceptions on every compile AND the link: otherwise a C++ throw reaches JS as a bare
#                number and destructors are skipped. bindings.cpp catches everything at the boundary.
#                Native wasm exceptions (Node 20, Chromium) instead of JS-emulated -fexceptions: no
#                invoke_* trampolines, so the module is ~11 KB gz smaller and calls are cheaper.
#   -O3 -msimd128 -DNDEBUG: fast xtensor loops; NDEBUG keeps xtensor's iostream out (size).
#   -Oz on the cold files only (COLD_SOURCES below): code run once per user action (parsing specs,
#                building datasets, the lesson Graph on tiny tensors, gradcheck, the binding) is
#                half the module. Measured: -33 KB gz for -Os, -0.3 KB more for -Oz; a small Graph
#                build+forward+backward stays well under a millisecond. loss.cpp and optim.cpp
#                (plain loops over a chunk's outputs or the parameter vector, a few percent of any
#                training step) are -Oz too: -1.4 KB gz, which keeps the engine under 100 KB. The
#                hot paths (nn: the MLP kernels; train; landscape) stay -O3.
#   -flto (non-Debug): link-time optimisation of the engine and the binding together. The
#                cold files keep their -Oz (clang records it on each function), and unused code
#                goes across files: -3.2 KB gz, training speed unchanged (W1-W4 A/B, Node).
#   BINARYEN_EXTRA_PASSES=-Os: one size pass after the link's -O3 pipeline (which has already
#                inlined the hot loops; -Oz for the whole link inlines less and slowed the MLP).
#   MALLOC=emmalloc: smaller than dlmalloc (-2.5 KB gz), MLP training speed unchanged; it still
#                provides mallinfo() for memory_stats() (the leak tests).
#   MODULARIZE + EXPORT_ES6 + ENVIRONMENT=web, no SINGLE_FILE: the module fetches the .wasm from
#                next to itself with WebAssembly.instantiateStreaming, so compiling overlaps the
#                download, and the wasm is not inflated by base64 (SINGLE_FILE cost ~40 KB gz).
#                Node's fetch cannot read files: web/engine/gradlab.js reads the .wasm with fs
#                there and passes it as wasmBinary (as the file:// build does with inlined bytes).
#   DYNAMIC_EXECUTION=0: no eval/new Function, so pages with a strict CSP can load the engine.
#   TEXTDECODER=2: no JS fallback for TextDecoder (every supported browser and Node have it).
target_compile_options(gradlab PUBLIC -fwasm-exceptions -msimd128 $<$<NOT:$<CONFIG:Debug>>:-flto>)
target_compile_definitions(gradlab PUBLIC $<$<NOT:$<CONFIG:Debug>>:NDEBUG>)

set(COLD_SOURCES
  "${CMAKE_CURRENT_LIST_DIR}/bindings.cpp"
  "${CMAKE_CURRENT_SOURCE_DIR}/src/data.cpp"
  "${CMAKE_CURRENT_SOURCE_DIR}/src/error.cpp"
  "${CMAKE_CURRENT_SOURCE_DIR}/src/functions.cpp"
  "${CMAKE_CURRENT_SOURCE_DIR}/src/gradcheck.cpp"
  "${CMAKE_CURRENT_SOURCE_DIR}/src/graph.cpp"
  "${CMAKE_CURRENT_SOURCE_DIR}/src/loss.cpp"
  "${CMAKE_CURRENT_SOURCE_DIR}/src/optim.cpp")
set_source_files_properties(${COLD_SOURCES} PROPERTIES COMPILE_OPTIONS "$<$<NOT:$<CONFIG:Debug>>:-Oz>")

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
  $<$<NOT:$<CONFIG:Debug>>:-flto>
  --bind
  -sMODULARIZE=1
  -sEXPORT_ES6=1
  -sEXPORT_NAME=createGradlabEngine
  -sENVIRONMENT=web
  -sALLOW_MEMORY_GROWTH=1
  -sDYNAMIC_EXECUTION=0
  -sFILESYSTEM=0
  -sMALLOC=emmalloc
  -sTEXTDECODER=2
  $<$<NOT:$<CONFIG:Debug>>:-sBINARYEN_EXTRA_PASSES=-Os>
  -sEXPORTED_RUNTIME_METHODS=[]
  -sINCOMING_MODULE_JS_API=[locateFile,wasmBinary,onAbort])
