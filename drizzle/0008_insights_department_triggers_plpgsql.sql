-- The department rollup helpers of 0007 as PL/pgSQL: a LANGUAGE sql function called from a trigger is
-- planned again on every call (about 1 ms each, three times per quiz submission); PL/pgSQL keeps its
-- plans for the session. Same statements, same results.

CREATE OR REPLACE FUNCTION insight_dept_staff_add(p_dept integer[], p_n integer[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF p_dept IS NULL THEN
		RETURN;
	END IF;
	INSERT INTO insight_dept_staff AS s (department_id, staff)
	SELECT d, sum(n) FROM unnest(p_dept, p_n) AS t(d, n) GROUP BY d HAVING sum(n) <> 0 ORDER BY d
	ON CONFLICT (department_id) DO UPDATE SET staff = s.staff + excluded.staff;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION insight_dept_course_add(p_dept integer[], p_course text[], p_year integer[], p_active boolean[], p_n integer[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF p_dept IS NULL THEN
		RETURN;
	END IF;
	INSERT INTO insight_dept_course AS x (department_id, course_id, completed_year, active, people)
	SELECT d, c, y, a, sum(n) FROM unnest(p_dept, p_course, p_year, p_active, p_n) AS t(d, c, y, a, n)
	GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4
	ON CONFLICT (department_id, course_id, completed_year, active) DO UPDATE SET people = x.people + excluded.people;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION insight_dept_mastery_add(p_user integer[], p_dept integer[], p_comp text[], p_n integer[], p_e integer[], p_p integer[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF p_user IS NULL THEN
		RETURN;
	END IF;
	WITH per AS (
		SELECT u, d, c, sum(n) AS dn, sum(e) AS de, sum(p) AS dp
		FROM unnest(p_user, p_dept, p_comp, p_n, p_e, p_p) AS t(u, d, c, n, e, p) GROUP BY 1, 2, 3
	),
	cnt AS (
		SELECT per.*, (SELECT count(*) FROM insight_first_attempt f WHERE f.user_id = per.u AND f.department_id = per.d AND f.competency_id = per.c AND f.staff) AS after_n
		FROM per
	),
	cell AS (
		SELECT d, c, sum((after_n > 0)::int - (after_n - dn > 0)::int) AS people, sum(de) AS earned, sum(dp) AS possible
		FROM cnt GROUP BY 1, 2
	)
	INSERT INTO insight_dept_mastery AS m (department_id, competency_id, people, earned, possible)
	SELECT d, c, people, earned, possible FROM cell WHERE people <> 0 OR earned <> 0 OR possible <> 0 ORDER BY 1, 2
	ON CONFLICT (department_id, competency_id) DO UPDATE SET people = m.people + excluded.people, earned = m.earned + excluded.earned, possible = m.possible + excluded.possible;
END $$;
