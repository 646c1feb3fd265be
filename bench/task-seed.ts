import type pg from 'pg';

/** How many ended tasks the mirror keeps beside the open ones (a fifth of them): the open-state filter must skip those. */
const ENDED_SHARE = 0.2;

/**
 * Open tasks spread over values a real installation has: five definitions of unequal size, three tenants and
 * tasks of none, candidate groups and users, 30% assigned (200 users), most at the default priority, 40% without
 * a due date, 3% suspended, twenty task names and a few unnamed. `me` (the non-admin caller) holds some, is a
 * candidate for some more. Written in creation order, as the mirror's import and its real-time path write them. The
 * same rows every run (setseed).
 */
export async function seedOpenTasks(database: pg.Client, open: number, me: string): Promise<{ ended: number }> {
  const ended = Math.round(open * ENDED_SHARE);
  await database.query('TRUNCATE tasks');
  await database.query('SELECT setseed(0.42)');
  await database.query(
    `
    INSERT INTO tasks (id, process_instance_id, process_definition_key, business_key, name, task_definition_key, assignee, owner,
                       candidate_users, candidate_groups, priority, state, suspended, created_at, due_at, ended_at, tenant_id, last_synced_at)
    SELECT md5('task' || n)::uuid::text, md5('instance' || (n / 2))::uuid::text,
           (ARRAY['ticket-approval', 'ticket-approval', 'ticket-approval', 'ticket-approval', 'expense-claim', 'expense-claim', 'expense-claim',
                  'onboarding', 'onboarding', 'vendor-review'])[1 + (r1 * 10)::int % 10],
           'TICKET-' || (n / 2),
           CASE WHEN r2 < 0.02 THEN NULL ELSE 'Task ' || (1 + (r2 * 1000)::int % 20) END,
           'step' || (n % 4),
           assignee, CASE WHEN r3 < 0.05 THEN 'user-' || (r4 * 200)::int END,
           CASE WHEN r3 < 0.2 THEN ARRAY['user-' || (r4 * 200)::int] WHEN r3 < 0.25 THEN ARRAY['user-' || (r4 * 200)::int, 'demo'] ELSE '{}' END,
           (ARRAY['{managers}', '{managers,accounting}', '{support}', '{sales}', '{accounting}', '{operators,support}', '{management}', '{}'])[1 + (r5 * 8)::int % 8]::text[],
           CASE WHEN r6 < 0.6 THEN 50 ELSE (r6 * 250)::int % 101 END,
           CASE WHEN n > $1::int THEN 'COMPLETED' WHEN assignee IS NULL THEN 'CREATED' ELSE 'ASSIGNED' END,
           r7 < 0.03,
           created_at, CASE WHEN r8 < 0.4 THEN NULL ELSE created_at + (r8 * 30) * interval '1 day' END,
           CASE WHEN n > $1::int THEN created_at + interval '1 day' END,
           (ARRAY['acme', 'acme', 'acme', 'acme', 'globex', 'globex', 'globex', 'initech', 'initech', NULL])[1 + (r9 * 10)::int % 10],
           now()
    FROM (
      SELECT n, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6, random() AS r7, random() AS r8,
             random() AS r9, now() - random() * interval '90 days' AS created_at,
             CASE WHEN random() < 0.3 THEN 'user-' || (random() * 200)::int END AS assignee
      FROM generate_series(1, $1::int + $2::int) AS n
    ) AS seed
    ORDER BY created_at`,
    [open, ended],
  );
  // The non-admin caller's own share in her workspace: a few she holds, more she is a candidate for by name.
  await database.query(`UPDATE tasks SET assignee = $1, state = 'ASSIGNED' WHERE tenant_id = 'acme' AND state = 'CREATED' AND id < '02'`, [me]);
  await database.query(`UPDATE tasks SET candidate_users = candidate_users || $1::text WHERE tenant_id = 'acme' AND id >= '02' AND id < '08'`, [me]);
  await database.query('VACUUM ANALYZE tasks');
  return { ended };
}
