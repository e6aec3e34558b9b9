-- govlearn_department_assignment (0001) found each department's assignments by testing every
-- department against every assigned department (`d.path LIKE ad.path || '%'`): departments x
-- assignments comparisons, about a second at 5,000 departments. The ancestors of a department are the
-- ids in its materialised path, so this version joins them by id instead: departments x depth.
-- Same columns, same rows (the nearest assignment up the tree; the latest when a department has several).
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
	govlearn_period_start(a.due_date, a.recurrence, current_date) AS period_start
FROM department d
CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM d.path), '/')::int[]) AS anc(id)
JOIN department ad ON ad.id = anc.id
JOIN assignment a ON a.department_id = ad.id AND a.ended_at IS NULL
ORDER BY d.id, a.course_id, ad.depth DESC, a.created_at DESC, a.id DESC;
