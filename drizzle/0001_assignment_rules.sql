-- Assignment rules in SQL, so every report applies them set-based and identically.
-- Yearly assignments run per calendar year: due on the same month and day each year, and only a
-- completion in that calendar year satisfies it. One-off assignments accept any completion.

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
-- For each department and course, the assignment on the nearest department up the tree (the latest
-- one when a department has several). Small: departments x assigned courses.
CREATE VIEW govlearn_department_assignment AS
SELECT DISTINCT ON (d.id, a.course_id)
	d.id AS department_id,
	a.course_id,
	a.id AS assignment_id,
	a.department_id AS assigned_department_id,
	a.required,
	a.recurrence,
	a.due_date,
	govlearn_current_due(a.due_date, a.recurrence, current_date) AS current_due,
	govlearn_period_start(a.due_date, a.recurrence, current_date) AS period_start
FROM department d
JOIN department ad ON d.path LIKE ad.path || '%'
JOIN assignment a ON a.department_id = ad.id AND a.ended_at IS NULL
ORDER BY d.id, a.course_id, ad.depth DESC, a.created_at DESC, a.id DESC;
--> statement-breakpoint
-- The assignment that applies to each person (active or pending accounts) and course, with whether
-- it is satisfied by a completion in its current period.
CREATE VIEW govlearn_user_assignment AS
SELECT
	u.id AS user_id,
	u.department_id,
	da.course_id,
	da.assignment_id,
	da.assigned_department_id,
	da.required,
	da.recurrence,
	da.current_due,
	da.period_start,
	c.completed_at
FROM "user" u
JOIN govlearn_department_assignment da ON da.department_id = u.department_id
LEFT JOIN LATERAL (
	SELECT max(co.completed_at) AS completed_at
	FROM completion co
	WHERE co.user_id = u.id AND co.course_id = da.course_id AND co.revoked_at IS NULL
		AND (da.period_start IS NULL OR co.completed_at >= da.period_start)
) c ON true
WHERE u.status <> 'inactive';
