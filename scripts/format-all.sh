#!/bin/sh
# Formats the whole tree the way `npm run lint` checks it: ESLint's fixes first,
# then Prettier (which owns the layout). Prints what ESLint cannot fix and exits
# non-zero while anything is left; run `npm run lint` afterwards to confirm.
# Behaviour must not change: compare `node scripts/snapshot.mjs DIR` before and after.
set -eu
cd "$(dirname "$0")/.."
status=0
npx eslint --fix . || status=$?
npx prettier --write --log-level warn .
exit "$status"
