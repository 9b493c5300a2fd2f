# The layers, bottom first (DESIGN.md "Layout", docs/architecture.md "Layers"). Each is a
# folder at the top level and one library target, mailsim_<layer>, that links only the
# layers named here; a layer may include the headers of those layers and of every layer
# below them, never of a layer above. layers_test checks every #include against the link
# lines read back from the targets (build/layers.txt, written below).
set(MAILSIM_LAYERS core config engine checks models app analysis runset reports cli)
set(MAILSIM_LAYER_DEPS_core "")
set(MAILSIM_LAYER_DEPS_config core)
set(MAILSIM_LAYER_DEPS_engine config)
set(MAILSIM_LAYER_DEPS_checks engine)
set(MAILSIM_LAYER_DEPS_models checks)
set(MAILSIM_LAYER_DEPS_app models)
set(MAILSIM_LAYER_DEPS_analysis app)
set(MAILSIM_LAYER_DEPS_runset analysis)
set(MAILSIM_LAYER_DEPS_reports runset)
set(MAILSIM_LAYER_DEPS_cli reports)

# mailsim_layer(NAME SOURCES... [PUBLIC_LIBS ...] [PRIVATE_LIBS ...]): the layer's library,
# linked PUBLIC to the layers below it named above, plus third-party libraries.
function(mailsim_layer name)
  cmake_parse_arguments(L "" "" "SOURCES;PUBLIC_LIBS;PRIVATE_LIBS" ${ARGN})
  add_library(mailsim_${name} ${L_SOURCES})
  add_library(mailsim::${name} ALIAS mailsim_${name})
  set(deps mailsim::options)
  foreach(d IN LISTS MAILSIM_LAYER_DEPS_${name})
    list(APPEND deps mailsim_${d})
  endforeach()
  target_link_libraries(mailsim_${name} PUBLIC ${deps} ${L_PUBLIC_LIBS} PRIVATE mailsim::warnings ${L_PRIVATE_LIBS})
endfunction()

# Written after every layer exists: one line per layer, "layer: the mailsim layers its
# target links", read from the targets themselves (LINK_LIBRARIES), not from the lists above.
function(mailsim_write_layer_table)
  set(text "")
  foreach(layer IN LISTS MAILSIM_LAYERS)
    get_target_property(libs mailsim_${layer} LINK_LIBRARIES)
    set(uses "")
    foreach(l IN LISTS libs)
      if(l MATCHES "^mailsim_(.+)$" AND CMAKE_MATCH_1 IN_LIST MAILSIM_LAYERS)
        list(APPEND uses ${CMAKE_MATCH_1})
      endif()
    endforeach()
    list(JOIN uses " " uses)
    string(APPEND text "${layer}: ${uses}\n")
  endforeach()
  file(WRITE ${PROJECT_BINARY_DIR}/layers.txt "${text}")
endfunction()
