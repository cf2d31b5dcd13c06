#!/usr/bin/env bash
# The last job of deploy.yml: says in the run summary what production runs after this run (new, restored, unchanged,
# or unknown with what to do) and fails the run unless the new version passed its smoke test. Every value comes from
# the job's env: the results and outputs of the jobs before it.
set -euo pipefail

short=${SHA:0:7}
backend_changed=$([ -n "${BACKEND_DEPLOYMENT:-}" ] && echo true || echo false)
# A publish that failed leaves no outputs, so it may have changed the site: it counts as a change.
frontend_changed=$([ "${FRONTEND_RESULT:-skipped}" != skipped ] && echo true || echo false)

summary() { # state, explanation, then table rows "name|value"
  local state=$1 explanation=$2
  shift 2
  {
    echo "## Production: $state"
    echo
    echo "$explanation"
    echo
    echo "| | |"
    echo "| --- | --- |"
    for row in "$@"; do echo "| ${row%%|*} | ${row#*|} |"; done
  } >>"$GITHUB_STEP_SUMMARY"
}

if [ "${SMOKE_RESULT:-}" = success ]; then
  summary new "Production runs \`$short\`, which passed its smoke test." \
    "Backend|${BACKEND_NEW:-?}" "Front end|release ${FRONTEND_NEW:-?}"
  echo "::notice title=Production runs $short::backend ${BACKEND_NEW:-?}, front end release ${FRONTEND_NEW:-?}"
  exit 0
fi

jobs="Jobs|$(echo "$RESULTS" | tr -s ' \n' ' ')"
if [ "$backend_changed" = false ] && [ "$frontend_changed" = false ]; then
  if [ "${BACKEND_RESULT:-}" = cancelled ]; then
    summary unknown "The backend job was cancelled: whether ECS started a deployment is not known. Check the service's deployments in the ECS console, then run the Roll back workflow if it runs \`$short\`." "$jobs"
    echo "::error title=Production state unknown::the backend job of $short was cancelled; check the ECS service and run the Roll back workflow if needed"
  else
    summary unchanged "The deploy of \`$short\` stopped before the backend or the front end changed: production runs what it ran before." "$jobs"
    echo "::error title=Deploy of $short stopped, production unchanged::see the failed job: ${RESULTS//$'\n'/ }"
  fi
  exit 1
fi

known=true
if [ "$backend_changed" = false ]; then
  backend="unchanged"
elif [ "${BACKEND_ROLLBACK:-}" = success ] && [ -z "${BACKEND_TO:-}" ]; then
  backend="back to zero tasks (this was its first deploy: nothing ran before)"
elif [ "${BACKEND_ROLLBACK:-}" = success ]; then
  backend="restored to $BACKEND_TO (APP_VERSION ${BACKEND_VERSION:-unknown})"
else
  known=false
  backend="NOT restored (rollback job: ${BACKEND_ROLLBACK:-skipped}): it may run ${BACKEND_NEW:-the new revision}"
fi

if [ "$frontend_changed" = false ]; then
  frontend="unchanged"
elif [ "${FRONTEND_ROLLBACK:-}" = success ]; then
  frontend="restored to release $FRONTEND_TO"
elif [ "$FRONTEND_RESULT" = success ] && [ -z "${FRONTEND_PREVIOUS:-}" ]; then
  frontend="serves release $FRONTEND_NEW: no release was live before it"
else
  known=false
  frontend="NOT restored (rollback job: ${FRONTEND_ROLLBACK:-skipped}): it may serve ${FRONTEND_NEW:-part of release $short}"
fi

if [ "${VERIFY_RESULT:-}" = success ]; then
  verify="passes"
elif [ "$backend_changed" = true ] && [ "${BACKEND_ROLLBACK:-}" = success ] && [ -z "${BACKEND_TO:-}" ]; then
  verify="not run: no task runs"
else
  known=false
  verify="${VERIFY_RESULT:-skipped}: what runs was not shown to work"
fi

failed="${FAILED_CHECKS:+ (failed checks: $FAILED_CHECKS)}"
rows=("$jobs$failed" "Backend|$backend" "Front end|$frontend" "Smoke test after rollback|$verify")
if [ "$known" = true ]; then
  summary restored "The deploy of \`$short\` failed, and what it changed was rolled back and checked." "${rows[@]}"
  echo "::error title=Deploy of $short rolled back::backend $backend; front end $frontend; smoke test after rollback: $verify"
else
  todo="Run the Roll back workflow (task-definition: ${BACKEND_PREVIOUS:-previous}, spa-release: ${FRONTEND_PREVIOUS:-previous}), or fix the cause and deploy again."
  summary unknown "The deploy of \`$short\` failed and production was not shown to be restored. $todo" "${rows[@]}"
  echo "::error title=Production state unknown after $short::backend $backend; front end $frontend; smoke test after rollback: $verify. $todo"
fi
exit 1
