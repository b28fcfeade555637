# dms_set_warnings(target): the project's warning set, applied to our own targets only.
function(dms_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion
                                           # GCC 12 false positives inside Boost.Multiprecision
                                           -Wno-maybe-uninitialized)
  if(DMS_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
