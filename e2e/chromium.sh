#!/bin/bash
# Debian's Chromium for the browser tests, with every --disable-features list it is given merged into one.
# Chromium obeys only the last --disable-features on its command line, so the list the tests add (e2e/conftest.py,
# CHROMIUM["args"]) would otherwise switch Playwright's own list back on.
features=()
args=()
for arg in "$@"; do
  case "$arg" in
    --disable-features=*) features+=("${arg#--disable-features=}") ;;
    *) args+=("$arg") ;;
  esac
done
if [ ${#features[@]} -gt 0 ]; then
  args+=("--disable-features=$(IFS=,; echo "${features[*]}")")
fi
exec /usr/bin/chromium "${args[@]}"
