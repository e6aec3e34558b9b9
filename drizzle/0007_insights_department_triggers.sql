-- Department-level rollups (tables in 0006), kept exact by statement-level triggers in the same
-- transaction as every write, whoever writes (the app, seeds, imports, COPY):
--   insight_dept_staff    <- "user"                  (staff per department)
--   insight_dept_course   <- insight_user_course     (people per course by latest completion year)
--   insight_dept_mastery  <- insight_first_attempt   (first-attempt points and people per competency)
--   insight_dept_hours    <- completion, "user"      (people per year by their credit hours)
-- Counts move by increments (INSERT … ON CONFLICT DO UPDATE SET n = n + delta), so concurrent writers
-- in one department wait for each other's row instead of overwriting it. Where a delta needs a
-- person's current total (hours, "has any first attempt in this competency"), that total is read in a
-- new statement after taking the person's lock (the same advisory lock the per-person rollups use), so
-- it includes every committed change for that person.
-- Triggers on the raw tables are named to fire after the per-person rollup triggers (same order of
-- locks in every transaction). Completion years of insight_dept_course use the session time zone, as
-- the reports' `completed_at >= period_start` comparison does.

CREATE OR REPLACE FUNCTION insight_dept_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	LOCK TABLE insight_dept_staff, insight_dept_course, insight_dept_mastery, insight_dept_hours IN SHARE ROW EXCLUSIVE MODE;
	DELETE FROM insight_dept_staff;
	INSERT INTO insight_dept_staff (department_id, staff)
	SELECT department_id, count(*) FROM "user" WHERE status <> 'inactive' GROUP BY department_id;
	DELETE FROM insight_dept_course;
	INSERT INTO insight_dept_course (department_id, course_id, completed_year, active, people)
	SELECT department_id, course_id, coalesce(extract(year FROM last_completed_at)::int, 0), last_activity_at IS NOT NULL, count(*)
	FROM insight_user_course WHERE staff GROUP BY 1, 2, 3, 4;
	DELETE FROM insight_dept_mastery;
	INSERT INTO insight_dept_mastery (department_id, competency_id, people, earned, possible)
	SELECT department_id, competency_id, count(DISTINCT user_id), sum(points_earned), sum(points_possible)
	FROM insight_first_attempt WHERE staff GROUP BY 1, 2;
	DELETE FROM insight_dept_hours;
	INSERT INTO insight_dept_hours (department_id, year, hours, people)
	SELECT department_id, year, h, count(*) FROM (
		SELECT u.department_id, c.year, sum(c.hours) AS h
		FROM completion c JOIN "user" u ON u.id = c.user_id
		WHERE c.revoked_at IS NULL AND u.status <> 'inactive'
		GROUP BY c.user_id, u.department_id, c.year
	) p GROUP BY 1, 2, 3;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION insight_dept_staff_add(p_dept integer[], p_n integer[]) RETURNS void
LANGUAGE sql AS $$
	INSERT INTO insight_dept_staff AS s (department_id, staff)
	SELECT d, sum(n) FROM unnest(p_dept, p_n) AS t(d, n) GROUP BY d HAVING sum(n) <> 0 ORDER BY d
	ON CONFLICT (department_id) DO UPDATE SET staff = s.staff + excluded.staff;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION insight_dept_course_add(p_dept integer[], p_course text[], p_year integer[], p_active boolean[], p_n integer[]) RETURNS void
LANGUAGE sql AS $$
	INSERT INTO insight_dept_course AS x (department_id, course_id, completed_year, active, people)
	SELECT d, c, y, a, sum(n) FROM unnest(p_dept, p_course, p_year, p_active, p_n) AS t(d, c, y, a, n)
	GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4
	ON CONFLICT (department_id, course_id, completed_year, active) DO UPDATE SET people = x.people + excluded.people;
$$;
--> statement-breakpoint
-- Deltas of insight_first_attempt rows (signed: + new, - old). Whether a person counts in a
-- (department, competency) cell before and after: their rows there now, minus this statement's change.
-- Every writer of insight_first_attempt holds the person's lock (or a table lock), so "now" is stable.
CREATE OR REPLACE FUNCTION insight_dept_mastery_add(p_user integer[], p_dept integer[], p_comp text[], p_n integer[], p_e integer[], p_p integer[]) RETURNS void
LANGUAGE sql AS $$
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
$$;
--> statement-breakpoint
-- The person locks for hour totals: the advisory lock of the per-person rollups, or for many people
-- at once a table lock that waits for (and holds off) every small writer.
CREATE OR REPLACE FUNCTION insight_dept_hours_lock(p_users integer[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF cardinality(p_users) > 256 THEN
		LOCK TABLE insight_dept_hours IN SHARE ROW EXCLUSIVE MODE;
	ELSE
		LOCK TABLE insight_dept_hours IN ROW EXCLUSIVE MODE;
		PERFORM pg_advisory_xact_lock(71010, s.u) FROM (SELECT DISTINCT u FROM unnest(p_users) AS t(u) ORDER BY u) s;
	END IF;
END $$;
--> statement-breakpoint
-- Deltas of valid completions per (person, year): count and hours. The person moves from the bucket
-- of their total before this statement to the bucket of their total now.
CREATE OR REPLACE FUNCTION insight_dept_hours_add(p_user integer[], p_year integer[], p_n integer[], p_h numeric[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF p_user IS NULL THEN
		RETURN;
	END IF;
	PERFORM insight_dept_hours_lock(p_user);
	WITH d AS (
		SELECT u, y, sum(n)::int AS dn, sum(h) AS dh FROM unnest(p_user, p_year, p_n, p_h) AS t(u, y, n, h) GROUP BY 1, 2
	),
	cur AS (
		SELECT d.*, p.department_id, p.status <> 'inactive' AS staff, t.n AS an, t.h AS ah
		FROM d JOIN "user" p ON p.id = d.u
		CROSS JOIN LATERAL (
			SELECT count(*)::int AS n, coalesce(sum(c.hours), 0) AS h FROM completion c WHERE c.user_id = d.u AND c.year = d.y AND c.revoked_at IS NULL
		) t
	),
	moves AS (
		SELECT department_id, y, ah - dh AS hours, -1 AS n FROM cur WHERE staff AND an - dn > 0
		UNION ALL
		SELECT department_id, y, ah, 1 FROM cur WHERE staff AND an > 0
	)
	INSERT INTO insight_dept_hours AS x (department_id, year, hours, people)
	SELECT department_id, y, hours, sum(n) FROM moves GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3
	ON CONFLICT (department_id, year, hours) DO UPDATE SET people = x.people + excluded.people;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION insight_dept_completion_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		PERFORM insight_dept_rebuild();
	ELSIF TG_OP = 'INSERT' THEN
		PERFORM insight_dept_hours_add(array_agg(user_id), array_agg(year), array_agg(1), array_agg(hours))
		FROM new_rows WHERE revoked_at IS NULL;
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM insight_dept_hours_add(array_agg(user_id), array_agg(year), array_agg(-1), array_agg(-hours))
		FROM old_rows WHERE revoked_at IS NULL;
	ELSE
		PERFORM insight_dept_hours_add(array_agg(user_id), array_agg(year), array_agg(n), array_agg(h))
		FROM (
			SELECT user_id, year, 1 AS n, hours AS h FROM new_rows WHERE revoked_at IS NULL
			UNION ALL
			SELECT user_id, year, -1, -hours FROM old_rows WHERE revoked_at IS NULL
		) x;
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
-- "user": staff counts follow inserts, deletes, moves and status changes; so do hour buckets.
CREATE OR REPLACE FUNCTION insight_dept_user_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	us integer[];
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		PERFORM insight_dept_rebuild();
	ELSIF TG_OP = 'INSERT' THEN
		PERFORM insight_dept_staff_add(array_agg(department_id), array_agg(1)) FROM new_rows WHERE status <> 'inactive';
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM insight_dept_staff_add(array_agg(department_id), array_agg(-1)) FROM old_rows WHERE status <> 'inactive';
	ELSE
		SELECT array_agg(n.id) INTO us FROM new_rows n JOIN old_rows o ON o.id = n.id
		WHERE n.department_id IS DISTINCT FROM o.department_id OR n.status IS DISTINCT FROM o.status;
		IF us IS NULL THEN
			RETURN NULL;
		END IF;
		PERFORM insight_dept_staff_add(array_agg(d), array_agg(n)) FROM (
			SELECT department_id AS d, 1 AS n FROM new_rows WHERE id = ANY(us) AND status <> 'inactive'
			UNION ALL
			SELECT department_id, -1 FROM old_rows WHERE id = ANY(us) AND status <> 'inactive'
		) x;
		PERFORM insight_dept_hours_lock(us);
		WITH ch AS (
			SELECT n.id, o.department_id AS od, o.status <> 'inactive' AS os, n.department_id AS nd, n.status <> 'inactive' AS ns
			FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.id = ANY(us)
		),
		t AS (
			SELECT c.user_id, c.year, sum(c.hours) AS h FROM completion c
			WHERE c.user_id = ANY(us) AND c.revoked_at IS NULL GROUP BY 1, 2
		),
		moves AS (
			SELECT ch.od AS department_id, t.year, t.h, -1 AS n FROM t JOIN ch ON ch.id = t.user_id WHERE ch.os
			UNION ALL
			SELECT ch.nd, t.year, t.h, 1 FROM t JOIN ch ON ch.id = t.user_id WHERE ch.ns
		)
		INSERT INTO insight_dept_hours AS x (department_id, year, hours, people)
		SELECT department_id, year, h, sum(n) FROM moves GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3
		ON CONFLICT (department_id, year, hours) DO UPDATE SET people = x.people + excluded.people;
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION insight_dept_course_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		PERFORM insight_dept_rebuild();
	ELSIF TG_OP = 'INSERT' THEN
		PERFORM insight_dept_course_add(array_agg(department_id), array_agg(course_id), array_agg(coalesce(extract(year FROM last_completed_at)::int, 0)), array_agg(last_activity_at IS NOT NULL), array_agg(1))
		FROM new_rows WHERE staff;
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM insight_dept_course_add(array_agg(department_id), array_agg(course_id), array_agg(coalesce(extract(year FROM last_completed_at)::int, 0)), array_agg(last_activity_at IS NOT NULL), array_agg(-1))
		FROM old_rows WHERE staff;
	ELSE
		PERFORM insight_dept_course_add(array_agg(department_id), array_agg(course_id), array_agg(y), array_agg(a), array_agg(n)) FROM (
			SELECT department_id, course_id, coalesce(extract(year FROM last_completed_at)::int, 0) AS y, last_activity_at IS NOT NULL AS a, 1 AS n FROM new_rows WHERE staff
			UNION ALL
			SELECT department_id, course_id, coalesce(extract(year FROM last_completed_at)::int, 0), last_activity_at IS NOT NULL, -1 FROM old_rows WHERE staff
		) x;
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION insight_dept_mastery_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		PERFORM insight_dept_rebuild();
	ELSIF TG_OP = 'INSERT' THEN
		PERFORM insight_dept_mastery_add(array_agg(user_id), array_agg(department_id), array_agg(competency_id), array_agg(1), array_agg(points_earned), array_agg(points_possible))
		FROM new_rows WHERE staff;
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM insight_dept_mastery_add(array_agg(user_id), array_agg(department_id), array_agg(competency_id), array_agg(-1), array_agg(-points_earned), array_agg(-points_possible))
		FROM old_rows WHERE staff;
	ELSE
		PERFORM insight_dept_mastery_add(array_agg(u), array_agg(d), array_agg(c), array_agg(n), array_agg(e), array_agg(p)) FROM (
			SELECT user_id AS u, department_id AS d, competency_id AS c, 1 AS n, points_earned AS e, points_possible AS p FROM new_rows WHERE staff
			UNION ALL
			SELECT user_id, department_id, competency_id, -1, -points_earned, -points_possible FROM old_rows WHERE staff
		) x;
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER insight_user_insert_dept AFTER INSERT ON "user" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_user_changed();
--> statement-breakpoint
CREATE TRIGGER insight_user_update_dept AFTER UPDATE ON "user" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_user_changed();
--> statement-breakpoint
CREATE TRIGGER insight_user_delete_dept AFTER DELETE ON "user" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_user_changed();
--> statement-breakpoint
CREATE TRIGGER insight_user_truncate_dept AFTER TRUNCATE ON "user" FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_user_changed();
--> statement-breakpoint
CREATE TRIGGER insight_completion_insert_dept AFTER INSERT ON completion REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_completion_changed();
--> statement-breakpoint
CREATE TRIGGER insight_completion_update_dept AFTER UPDATE ON completion REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_completion_changed();
--> statement-breakpoint
CREATE TRIGGER insight_completion_delete_dept AFTER DELETE ON completion REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_completion_changed();
--> statement-breakpoint
CREATE TRIGGER insight_completion_truncate_dept AFTER TRUNCATE ON completion FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_completion_changed();
--> statement-breakpoint
CREATE TRIGGER insight_dept_course_insert AFTER INSERT ON insight_user_course REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_course_changed();
--> statement-breakpoint
CREATE TRIGGER insight_dept_course_update AFTER UPDATE ON insight_user_course REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_course_changed();
--> statement-breakpoint
CREATE TRIGGER insight_dept_course_delete AFTER DELETE ON insight_user_course REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_course_changed();
--> statement-breakpoint
CREATE TRIGGER insight_dept_course_truncate AFTER TRUNCATE ON insight_user_course FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_course_changed();
--> statement-breakpoint
CREATE TRIGGER insight_dept_mastery_insert AFTER INSERT ON insight_first_attempt REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_mastery_changed();
--> statement-breakpoint
CREATE TRIGGER insight_dept_mastery_update AFTER UPDATE ON insight_first_attempt REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_mastery_changed();
--> statement-breakpoint
CREATE TRIGGER insight_dept_mastery_delete AFTER DELETE ON insight_first_attempt REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_mastery_changed();
--> statement-breakpoint
CREATE TRIGGER insight_dept_mastery_truncate AFTER TRUNCATE ON insight_first_attempt FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_mastery_changed();
--> statement-breakpoint
SELECT insight_dept_rebuild();
