/**
 * "The user, or one of the groups, is a candidate for the task", as SQL on `task` with the named parameters. The
 * `cardinality(…) > 0` guards are redundant beside the GIN conditions, but estimated (statistics of migration
 * 1765200000000): without them the planner guesses that a candidate filter matches 0.5% of the tasks and walks the
 * sort index looking for them, through every task when none match. Without groups there is no group clause, for the
 * same reason: it would match nothing, and the planner cannot tell.
 */
export function candidateClause(userParameter: string, groupsParameter: string, groups: string[]): string {
  const byUser = `(cardinality(task.candidate_users) > 0 AND task.candidate_users @> ARRAY[CAST(:${userParameter} AS text)])`;
  if (groups.length === 0) return byUser;
  return `${byUser} OR (cardinality(task.candidate_groups) > 0 AND task.candidate_groups && CAST(:${groupsParameter} AS text[]))`;
}
