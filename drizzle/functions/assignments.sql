-- Assignment rules in SQL, so every report applies them set-based and identically.
-- Yearly assignments run per calendar year: due on the same month and day each year, and only a
-- completion in that calendar year satisfies it. One-off assignments accept any completion.
--
-- The one definition of these objects: every database (fresh, or migrated before this file existed,
-- PGlite or Postgres) ends equal to this file. Change them here, never by copying them into a migration:
-- `migrate()` (src/lib/server/db/sql-functions.ts) runs every file in drizzle/functions/, in file-name
-- order, after the drizzle migrations whenever a file's text changed or a migration ran. So every
-- statement must be safe to run again (CREATE OR REPLACE; DROP … IF EXISTS before what cannot be
-- replaced), statements are separated by breakpoint lines as in migrations, and a table change
-- stays a generated migration. tests/integration/sql-functions.test.ts checks the database against this file.
-- A view can be replaced only with the same columns in the same order (new ones at the end); a change
-- beyond that drops the view (and govlearn_user_assignment, which reads it) first.

CREATE OR REPLACE FUNCTION govlearn_current_due(due date, recurrence text, today date) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE
		WHEN recurrence <> 'yearly' OR today <= due THEN due
		ELSE (due + make_interval(years => (extract(year FROM today)::int - extract(year FROM due)::int)))::date
	END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION govlearn_period_start(due date, recurrence text, today date) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE
		WHEN recurrence <> 'yearly' THEN NULL
		ELSE make_date(extract(year FROM govlearn_current_due(due, recurrence, today))::int, 1, 1)
	END
$$;
--> statement-breakpoint
-- A person's own due date. A relative assignment (due_days set) is due that many days after the later of
-- the day the person joined their department and the day it was assigned, so new staff are not overdue on
-- their first day; otherwise the assignment's (current) date. STABLE: timestamptz::date reads TimeZone.
CREATE OR REPLACE FUNCTION govlearn_personal_due(current_due date, due_days integer, assigned_on date, joined timestamptz) RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN due_days IS NULL THEN current_due ELSE greatest(joined::date, assigned_on) + due_days END
$$;
--> statement-breakpoint
-- When a person moves to another department, they joined it now (relative due dates count from it).
CREATE OR REPLACE FUNCTION govlearn_department_joined() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.department_id IS DISTINCT FROM OLD.department_id THEN
		NEW.department_joined_at := now();
	END IF;
	RETURN NEW;
END
$$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS govlearn_user_department_joined ON "user";
--> statement-breakpoint
CREATE TRIGGER govlearn_user_department_joined BEFORE UPDATE OF department_id ON "user"
FOR EACH ROW EXECUTE FUNCTION govlearn_department_joined();
--> statement-breakpoint
-- For each department and course, the assignment on the nearest department up the tree (the latest
-- one when a department has several). Small: departments x assigned courses. The ancestors of a
-- department are the ids in its materialised path, so they are joined by id (departments x depth);
-- testing every department against every assigned department (`d.path LIKE ad.path || '%'`, as in 0001)
-- took about a second at 5,000 departments.
CREATE OR REPLACE VIEW govlearn_department_assignment AS
SELECT DISTINCT ON (d.id, a.course_id)
	d.id AS department_id,
	a.course_id,
	a.id AS assignment_id,
	a.department_id AS assigned_department_id,
	a.required,
	a.recurrence,
	a.due_date,
	govlearn_current_due(a.due_date, a.recurrence, current_date) AS current_due,
	govlearn_period_start(a.due_date, a.recurrence, current_date) AS period_start,
	a.due_days,
	a.created_at::date AS assigned_on
FROM department d
CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM d.path), '/')::int[]) AS anc(id)
JOIN department ad ON ad.id = anc.id
JOIN assignment a ON a.department_id = ad.id AND a.ended_at IS NULL
ORDER BY d.id, a.course_id, ad.depth DESC, a.created_at DESC, a.id DESC;
--> statement-breakpoint
-- The assignment that applies to each person (active or pending accounts) and course, with whether
-- it is satisfied by a completion in its current period. current_due is the person's own due date
-- (govlearn_personal_due): reports, /me, reminders and the calendar all read it from here.
CREATE OR REPLACE VIEW govlearn_user_assignment AS
SELECT
	u.id AS user_id,
	u.department_id,
	da.course_id,
	da.assignment_id,
	da.assigned_department_id,
	da.required,
	da.recurrence,
	govlearn_personal_due(da.current_due, da.due_days, da.assigned_on, u.department_joined_at) AS current_due,
	da.period_start,
	c.completed_at,
	da.due_days
FROM "user" u
JOIN govlearn_department_assignment da ON da.department_id = u.department_id
LEFT JOIN LATERAL (
	SELECT max(co.completed_at) AS completed_at
	FROM completion co
	WHERE co.user_id = u.id AND co.course_id = da.course_id AND co.revoked_at IS NULL
		AND (da.period_start IS NULL OR co.completed_at >= da.period_start)
) c ON true
WHERE u.status <> 'inactive';
