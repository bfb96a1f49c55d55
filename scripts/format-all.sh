#!/bin/sh
# Formats the whole tree the way `npm run lint` checks it: Prettier (which owns
# the layout), then ESLint's fixes, then Prettier once more over what the fixes
# touched. Prints what ESLint cannot fix and exits non-zero while anything is
# left. Behaviour must not change: compare `node scripts/snapshot.mjs DIR`
# before and after (README: Development).
set -eu
cd "$(dirname "$0")/.."
npx prettier --write --log-level warn .
status=0
npx eslint --fix . || status=$?
npx prettier --write --log-level warn .
exit "$status"
