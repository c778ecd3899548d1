# iqc_add_model(<target> MODEL <model.onnx> [NAME <prefix>] [MCPU <cpu>]
#               [OPTIONS <iqc-compile options>...])
#
# Compiles an ONNX model at build time with iqc-compile into a static library
# <target> holding the model object and the iqc runtime. Linking <target>
# gives a C/C++ program the header <prefix>.h (declaring <prefix>_model() and
# <prefix>_run()) and iqc/Runtime/iqc_runtime.h. NAME defaults to the model
# file's stem with non-identifier characters replaced by '_'.
#
# IQC_COMPILE names the compiler (default: the iqc-compile target of this
# build, else `iqc-compile` on PATH).
function(iqc_add_model target)
  cmake_parse_arguments(ARG "" "MODEL;NAME;MCPU" "OPTIONS" ${ARGN})
  if(NOT ARG_MODEL)
    message(FATAL_ERROR "iqc_add_model(${target}): MODEL is required")
  endif()
  get_filename_component(model "${ARG_MODEL}" ABSOLUTE)
  if(NOT ARG_NAME)
    get_filename_component(ARG_NAME "${model}" NAME_WE)
    string(MAKE_C_IDENTIFIER "${ARG_NAME}" ARG_NAME)
  endif()
  if(TARGET iqc-compile)
    set(compiler $<TARGET_FILE:iqc-compile>)
    set(compiler_dep iqc-compile iqc_runtime)
  elseif(IQC_COMPILE)
    set(compiler ${IQC_COMPILE})
  else()
    set(compiler iqc-compile)
  endif()
  set(mcpu)
  if(ARG_MCPU)
    set(mcpu --mcpu=${ARG_MCPU})
  endif()
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/${target}.iqc)
  set(obj ${dir}/${ARG_NAME}.o)
  set(hdr ${dir}/${ARG_NAME}.h)
  add_custom_command(
    OUTPUT ${obj} ${hdr}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${compiler} ${model} -o ${obj} --header ${hdr} --name ${ARG_NAME}
            ${mcpu} ${ARG_OPTIONS}
    DEPENDS ${model} ${compiler_dep}
    COMMENT "iqc-compile ${ARG_MODEL} -> ${ARG_NAME}"
    VERBATIM)
  set_source_files_properties(${obj} PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
  add_library(${target} STATIC ${obj} ${hdr})
  set_target_properties(${target} PROPERTIES LINKER_LANGUAGE C)
  target_include_directories(${target} PUBLIC ${dir})
  if(TARGET iqc_runtime)
    target_link_libraries(${target} PUBLIC iqc_runtime)
  else()
    target_link_libraries(${target} PUBLIC iqc_runtime)
  endif()
  target_link_libraries(${target} PUBLIC m)
endfunction()
