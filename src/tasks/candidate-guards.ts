// Redundant beside the GIN conditions, but estimated (statistics of migration 1765200000000): without them the planner
// guesses that a candidate filter matches 0.5% of the tasks and walks the sort index looking for them, through every
// task when none match. A group clause without groups matches nothing and is left out for the same reason.
export const HAS_CANDIDATE_USERS = 'cardinality(task.candidate_users) > 0';
export const HAS_CANDIDATE_GROUPS = 'cardinality(task.candidate_groups) > 0';
