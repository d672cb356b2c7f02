# Compiler flags every wdp target gets, plus helpers to declare tests, services and benches.
add_library(wdp_defaults INTERFACE)
# Designated initializers that rely on default member initializers are the house style for option
# structs; -Wmissing-field-initializers would flag every one of them.
target_compile_options(wdp_defaults INTERFACE -Wall -Wextra -Wpedantic -Wno-unused-parameter -Wno-missing-field-initializers)
if(WDP_FATAL_WARNINGS)
  target_compile_options(wdp_defaults INTERFACE -Werror)
endif()

set(_wdp_sanitizers "")
if(WDP_SANITIZE_ADDRESS)
  list(APPEND _wdp_sanitizers address)
endif()
if(WDP_SANITIZE_UNDEFINED)
  list(APPEND _wdp_sanitizers undefined)
endif()
if(WDP_SANITIZE_THREAD)
  list(APPEND _wdp_sanitizers thread)
endif()
if(_wdp_sanitizers)
  list(JOIN _wdp_sanitizers "," _wdp_san)
  add_compile_options(-fsanitize=${_wdp_san} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${_wdp_san})
endif()

# wdp_add_test(NAME <name> SOURCES <files...> LIBS <libs...> [LABELS <labels...>])
# One binary per test file group; each GoogleTest case becomes one ctest entry.
function(wdp_add_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT WDP_BUILD_TESTS)
    return()
  endif()
  add_executable(${T_NAME} ${T_SOURCES})
  set_target_properties(${T_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main wdp_defaults)
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  gtest_discover_tests(${T_NAME}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    PROPERTIES LABELS "${T_LABELS}"
    DISCOVERY_TIMEOUT 30)
endfunction()
