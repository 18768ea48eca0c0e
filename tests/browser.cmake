# The guideline's screen flow in Debian's headless Chromium (label `browser`): the provider's
# web app (examples/web_app --serve) and the sandbox's Mynaportal pages, driven by
# tests/browser/flows.js with puppeteer-core from the committed package-lock.json.
# `ctest -L browser` runs them; they need node, npm and /usr/bin/chromium
# (scripts/setup-debian all installs chromium and fonts-ipafont-gothic).
find_program(MYNA_NODE node)
find_program(MYNA_NPM npm)
if(TARGET web_app AND MYNA_NODE AND MYNA_NPM)
  set(MYNA_BROWSER_NPM_DIR "${PROJECT_BINARY_DIR}/browser-npm")
  add_test(NAME browser_npm_ci
    COMMAND ${CMAKE_COMMAND} -DSOURCE=${CMAKE_CURRENT_SOURCE_DIR}/browser -DWORK=${MYNA_BROWSER_NPM_DIR}
            -DNPM=${MYNA_NPM} -P ${CMAKE_CURRENT_SOURCE_DIR}/browser/npm_ci.cmake)
  set_tests_properties(browser_npm_ci PROPERTIES FIXTURES_SETUP browser_npm LABELS browser TIMEOUT 300)

  add_test(NAME browser_flows
    COMMAND ${MYNA_NODE} ${CMAKE_CURRENT_SOURCE_DIR}/browser/flows.js --web-app $<TARGET_FILE:web_app>
            --out ${PROJECT_BINARY_DIR}/browser-shots)
  set_tests_properties(browser_flows PROPERTIES FIXTURES_REQUIRED browser_npm LABELS browser TIMEOUT 240
    ENVIRONMENT "NODE_PATH=${MYNA_BROWSER_NPM_DIR}/node_modules")
elseif(TARGET web_app)
  message(STATUS "node/npm not found: the browser tests are not registered")
endif()
