# Shared INTERFACE targets: every mailsim target links these two.
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE Release CACHE STRING "Build type" FORCE)
endif()

add_library(mailsim_options INTERFACE)
add_library(mailsim::options ALIAS mailsim_options)
target_compile_features(mailsim_options INTERFACE cxx_std_20)
target_include_directories(mailsim_options INTERFACE ${PROJECT_SOURCE_DIR})
target_compile_definitions(mailsim_options INTERFACE MAILSIM_VERSION="${PROJECT_VERSION}")

# MAILSIM_SANITIZE=ON: every mailsim target built with AddressSanitizer and UBSan, any
# UBSan report fatal (`make test-asan` builds the suite so in build-asan/; docs/robustness.md).
# The system libraries (SimGrid, yaml-cpp) stay uninstrumented.
option(MAILSIM_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(MAILSIM_SANITIZE)
  # -O1 (after the build type's -O3, so it wins): ASan's recommended level, and the
  # sanitized build compiles much faster than at -O3 on CI's 2 cores.
  set(MAILSIM_SANITIZE_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_compile_options(mailsim_options INTERFACE -O1)
  target_compile_options(mailsim_options INTERFACE ${MAILSIM_SANITIZE_FLAGS})
  target_link_options(mailsim_options INTERFACE ${MAILSIM_SANITIZE_FLAGS})
endif()

add_library(mailsim_warnings INTERFACE)
add_library(mailsim::warnings ALIAS mailsim_warnings)
target_compile_options(mailsim_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)

# mailsim_add_test(NAME SOURCES... LIBS ...): one gtest binary; each case runs in its own
# process (gtest_discover_tests), which SimGrid needs: one engine per process.
function(mailsim_add_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest_main mailsim::options mailsim::warnings)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 120
                       WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endfunction()

# ccache, when the machine has it, makes rebuilds after a branch switch cheap; CI has none.
find_program(MAILSIM_CCACHE ccache)
if(MAILSIM_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${MAILSIM_CCACHE})
endif()
