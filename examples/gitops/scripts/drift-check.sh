#!/usr/bin/env bash
# The scheduled drift check of imfed's GitOps example: a preview with a refresh (in memory: a
# preview writes no state) that must propose no change. Usage: drift-check.sh STACK
#
# `pulumi preview --expect-no-changes` exits non-zero both when the store drifted and when the
# check could not run (the store unreachable, a token refused, the state backend or the program
# failing); an alert must tell them apart, so this script ends with
#   0  in sync: the store matches the program
#   1  drift: the store changed outside of code; the output above names each field, and the
#      refreshed updatedBy, updatedVia, updatedAt and updateReason say who changed it, how,
#      when and why
#   2  failed: the check could not run; the output above says why
# and, on GitHub Actions, writes `outcome=in-sync|drift|failed` to the step's outputs for the
# steps after it (an issue to open, a chat message to send).
set -uo pipefail

if [ "$#" -ne 1 ] || [ -z "$1" ]; then
  echo "usage: drift-check.sh STACK" >&2
  exit 2
fi
stack="$1"
output="$(mktemp)"
trap 'rm -f "$output"' EXIT

pulumi preview --stack "$stack" --refresh --expect-no-changes --diff --non-interactive 2>&1 | tee "$output"
status="${PIPESTATUS[0]}"

if [ "$status" -eq 0 ]; then
  outcome=in-sync
  code=0
  echo "drift check: stack \"$stack\" matches the store"
# The CLI's words for a preview that proposed changes when none were expected (pulumi/pulumi,
# NoChangesExpectedError); any other failure is one of the check itself.
elif grep -q "no changes were expected" "$output"; then
  outcome=drift
  code=1
  echo "::error title=imfed drift::the store no longer matches stack \"$stack\": see the plan above for what changed, by whom, when and why; keep the change with a pull request, or run the update again to undo it"
else
  outcome=failed
  code=2
  echo "::error title=imfed drift check failed::pulumi preview of stack \"$stack\" failed with exit code $status before it could compare the store with the program: see its output above"
fi

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "outcome=$outcome" >>"$GITHUB_OUTPUT"
fi
exit "$code"
