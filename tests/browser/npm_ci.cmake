# Installs the browser harness's npm packages (puppeteer-core only: it never downloads a
# browser) from the committed package-lock.json into WORK, once per lock file: `npm ci` runs
# again only when the lock changed.   cmake -DSOURCE=dir -DWORK=dir -DNPM=npm -P npm_ci.cmake
file(MAKE_DIRECTORY "${WORK}")
file(SHA256 "${SOURCE}/package-lock.json" lock_hash)
set(stamp "${WORK}/node_modules/.myna-lock-sha256")
if(EXISTS "${stamp}")
  file(READ "${stamp}" installed)
  if(installed STREQUAL lock_hash)
    message(STATUS "npm packages of ${SOURCE} are installed")
    return()
  endif()
endif()
configure_file("${SOURCE}/package.json" "${WORK}/package.json" COPYONLY)
configure_file("${SOURCE}/package-lock.json" "${WORK}/package-lock.json" COPYONLY)
set(ENV{PUPPETEER_SKIP_DOWNLOAD} 1)
execute_process(COMMAND "${NPM}" ci --no-audit --no-fund --loglevel=error
                WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "npm ci failed in ${WORK} (${rc})")
endif()
file(WRITE "${stamp}" "${lock_hash}")
