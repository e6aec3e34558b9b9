-- Department-level rollups (tables in 0006 and 0010), kept exact by statement-level triggers in the
-- same transaction as every write, whoever writes (the app, seeds, imports, COPY):
--   insight_dept_staff    <- "user"                  (staff per department)
--   insight_dept_course   <- insight_user_course     (people per course by latest completion year)
--   insight_dept_mastery  <- insight_first_attempt   (first-attempt points and people per competency)
--   insight_dept_hours    <- completion, "user"      (people per year by their credit hours)
-- Why both these and the per-person rows exist: see src/lib/server/insights/department-rollups.ts.
--
-- Applied at commit: the triggers compute each statement's change (at that moment, under the person
-- locks) but write it to insight_dept_delta; a deferred trigger adds the changes up per row and applies
-- them, in a fixed order, when the transaction commits. Adding to the shared department rows at once
-- kept them locked until the transaction ended, so a department whose staff all submit a quiz at the
-- same moment queued behind each other's open transactions (half the throughput in the benchmark).
-- Counts move by increments (INSERT … ON CONFLICT DO UPDATE SET n = n + delta), so concurrent commits
-- in one department wait for each other's row instead of overwriting it. Where a delta needs a
-- person's current total (hours, "has any first attempt in this competency"), that total is read in a
-- new statement after taking the person's lock (the same advisory lock the per-person rollups use), so
-- it includes every committed change for that person.
-- Completion years of insight_dept_course use the session time zone, as the reports'
-- `completed_at >= period_start` comparison does.
-- The helpers are PL/pgSQL, not LANGUAGE sql: a sql function called from a trigger is planned again on
-- every call (about 1 ms each, three times per quiz submission); PL/pgSQL keeps its plans for the session.
--
-- The one definition of these objects: every database (fresh, or migrated before this file existed,
-- PGlite or Postgres) ends equal to this file. Change them here, never by copying them into a migration:
-- `migrate()` (src/lib/server/db/sql-functions.ts) runs every file in drizzle/functions/, in file-name
-- order, after the drizzle migrations whenever a file's text changed or a migration ran. So every
-- statement must be safe to run again (CREATE OR REPLACE; DROP … IF EXISTS before what cannot be
-- replaced), statements are separated by breakpoint lines as in migrations, and a table change
-- stays a generated migration. tests/integration/sql-functions.test.ts checks the database against this file.

-- All four department rollups from scratch (migration backfill, and after a TRUNCATE). It recomputes
-- from the raw records, which already hold this transaction's changes: its own pending changes are
-- dropped so they do not count twice at commit.
CREATE OR REPLACE FUNCTION insight_dept_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	LOCK TABLE insight_dept_staff, insight_dept_course, insight_dept_mastery, insight_dept_hours IN SHARE ROW EXCLUSIVE MODE;
	DELETE FROM insight_dept_delta WHERE txid = txid_current();
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
-- Marks this transaction as having pending department changes (one flush row fires the commit trigger).
CREATE OR REPLACE FUNCTION insight_dept_defer(p_rows bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF p_rows > 0 THEN
		INSERT INTO insight_dept_flush (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
	END IF;
END $$;
--> statement-breakpoint
-- At commit: the transaction's pending changes, summed per department row and applied in key order.
CREATE OR REPLACE FUNCTION insight_dept_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	WITH d AS (DELETE FROM insight_dept_delta WHERE txid = NEW.txid AND kind = 's' RETURNING department_id, people)
	INSERT INTO insight_dept_staff AS s (department_id, staff)
	SELECT department_id, sum(people) FROM d GROUP BY 1 HAVING sum(people) <> 0 ORDER BY 1
	ON CONFLICT (department_id) DO UPDATE SET staff = s.staff + excluded.staff;

	WITH d AS (DELETE FROM insight_dept_delta WHERE txid = NEW.txid AND kind = 'c' RETURNING department_id, key, year, active, people)
	INSERT INTO insight_dept_course AS x (department_id, course_id, completed_year, active, people)
	SELECT department_id, key, year, active, sum(people) FROM d GROUP BY 1, 2, 3, 4 HAVING sum(people) <> 0 ORDER BY 1, 2, 3, 4
	ON CONFLICT (department_id, course_id, completed_year, active) DO UPDATE SET people = x.people + excluded.people;

	WITH d AS (DELETE FROM insight_dept_delta WHERE txid = NEW.txid AND kind = 'm' RETURNING department_id, key, people, earned, possible)
	INSERT INTO insight_dept_mastery AS m (department_id, competency_id, people, earned, possible)
	SELECT department_id, key, sum(people), sum(earned), sum(possible) FROM d GROUP BY 1, 2
	HAVING sum(people) <> 0 OR sum(earned) <> 0 OR sum(possible) <> 0 ORDER BY 1, 2
	ON CONFLICT (department_id, competency_id) DO UPDATE SET people = m.people + excluded.people, earned = m.earned + excluded.earned, possible = m.possible + excluded.possible;

	WITH d AS (DELETE FROM insight_dept_delta WHERE txid = NEW.txid AND kind = 'h' RETURNING department_id, year, hours, people)
	INSERT INTO insight_dept_hours AS x (department_id, year, hours, people)
	SELECT department_id, year, hours, sum(people) FROM d GROUP BY 1, 2, 3 HAVING sum(people) <> 0 ORDER BY 1, 2, 3
	ON CONFLICT (department_id, year, hours) DO UPDATE SET people = x.people + excluded.people;

	DELETE FROM insight_dept_flush WHERE txid = NEW.txid;
	RETURN NULL;
END $$;
--> statement-breakpoint
-- CREATE OR REPLACE is not available for constraint triggers.
DROP TRIGGER IF EXISTS insight_dept_apply_at_commit ON insight_dept_flush
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER insight_dept_apply_at_commit AFTER INSERT ON insight_dept_flush DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION insight_dept_apply();
--> statement-breakpoint
-- Staff per department: signed counts (+1 joined or became active, -1 left).
CREATE OR REPLACE FUNCTION insight_dept_staff_add(p_dept integer[], p_n integer[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	written bigint;
BEGIN
	IF p_dept IS NULL THEN
		RETURN;
	END IF;
	INSERT INTO insight_dept_delta (txid, kind, department_id, people)
	SELECT txid_current(), 's', d, sum(x) FROM unnest(p_dept, p_n) AS t(d, x) GROUP BY d HAVING sum(x) <> 0;
	GET DIAGNOSTICS written = ROW_COUNT;
	PERFORM insight_dept_defer(written);
END $$;
--> statement-breakpoint
-- People per (department, course, completion year, active): signed counts of insight_user_course rows.
CREATE OR REPLACE FUNCTION insight_dept_course_add(p_dept integer[], p_course text[], p_year integer[], p_active boolean[], p_n integer[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	written bigint;
BEGIN
	IF p_dept IS NULL THEN
		RETURN;
	END IF;
	INSERT INTO insight_dept_delta (txid, kind, department_id, key, year, active, people)
	SELECT txid_current(), 'c', d, c, y, a, sum(x) FROM unnest(p_dept, p_course, p_year, p_active, p_n) AS t(d, c, y, a, x)
	GROUP BY d, c, y, a HAVING sum(x) <> 0;
	GET DIAGNOSTICS written = ROW_COUNT;
	PERFORM insight_dept_defer(written);
END $$;
--> statement-breakpoint
-- Deltas of insight_first_attempt rows (signed: + new, - old). Whether a person counts in a
-- (department, competency) cell before and after: their rows there now, minus this statement's change.
-- Every writer of insight_first_attempt holds the person's lock (or a table lock), so "now" is stable.
CREATE OR REPLACE FUNCTION insight_dept_mastery_add(p_user integer[], p_dept integer[], p_comp text[], p_n integer[], p_e integer[], p_p integer[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	written bigint;
BEGIN
	IF p_user IS NULL THEN
		RETURN;
	END IF;
	WITH per AS (
		SELECT u, d, c, sum(x) AS dn, sum(e) AS de, sum(p) AS dp
		FROM unnest(p_user, p_dept, p_comp, p_n, p_e, p_p) AS t(u, d, c, x, e, p) GROUP BY 1, 2, 3
	),
	cnt AS (
		SELECT per.*, (SELECT count(*) FROM insight_first_attempt f WHERE f.user_id = per.u AND f.department_id = per.d AND f.competency_id = per.c AND f.staff) AS after_n
		FROM per
	),
	cell AS (
		SELECT d, c, sum((after_n > 0)::int - (after_n - dn > 0)::int) AS people, sum(de) AS earned, sum(dp) AS possible
		FROM cnt GROUP BY 1, 2
	)
	INSERT INTO insight_dept_delta (txid, kind, department_id, key, people, earned, possible)
	SELECT txid_current(), 'm', d, c, people, earned, possible FROM cell WHERE people <> 0 OR earned <> 0 OR possible <> 0;
	GET DIAGNOSTICS written = ROW_COUNT;
	PERFORM insight_dept_defer(written);
END $$;
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
DECLARE
	written bigint;
BEGIN
	IF p_user IS NULL THEN
		RETURN;
	END IF;
	PERFORM insight_dept_hours_lock(p_user);
	WITH d AS (
		SELECT u, y, sum(x)::int AS dn, sum(h) AS dh FROM unnest(p_user, p_year, p_n, p_h) AS t(u, y, x, h) GROUP BY 1, 2
	),
	cur AS (
		SELECT d.*, p.department_id, p.status <> 'inactive' AS staff, t.n AS an, t.h AS ah
		FROM d JOIN "user" p ON p.id = d.u
		CROSS JOIN LATERAL (
			SELECT count(*)::int AS n, coalesce(sum(c.hours), 0) AS h FROM completion c WHERE c.user_id = d.u AND c.year = d.y AND c.revoked_at IS NULL
		) t
	),
	moves AS (
		SELECT department_id, y, ah - dh AS hours, -1 AS x FROM cur WHERE staff AND an - dn > 0
		UNION ALL
		SELECT department_id, y, ah, 1 FROM cur WHERE staff AND an > 0
	)
	INSERT INTO insight_dept_delta (txid, kind, department_id, year, hours, people)
	SELECT txid_current(), 'h', department_id, y, hours, sum(x) FROM moves GROUP BY 3, 4, 5 HAVING sum(x) <> 0;
	GET DIAGNOSTICS written = ROW_COUNT;
	PERFORM insight_dept_defer(written);
END $$;
--> statement-breakpoint
-- completion: hour buckets follow valid completions inserted, deleted, revoked or restored.
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
	written bigint;
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
		PERFORM insight_dept_staff_add(array_agg(d), array_agg(x)) FROM (
			SELECT department_id AS d, 1 AS x FROM new_rows WHERE id = ANY(us) AND status <> 'inactive'
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
			SELECT ch.od AS department_id, t.year, t.h, -1 AS x FROM t JOIN ch ON ch.id = t.user_id WHERE ch.os
			UNION ALL
			SELECT ch.nd, t.year, t.h, 1 FROM t JOIN ch ON ch.id = t.user_id WHERE ch.ns
		)
		INSERT INTO insight_dept_delta (txid, kind, department_id, year, hours, people)
		SELECT txid_current(), 'h', department_id, year, h, sum(x) FROM moves GROUP BY 3, 4, 5 HAVING sum(x) <> 0;
		GET DIAGNOSTICS written = ROW_COUNT;
		PERFORM insight_dept_defer(written);
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
-- insight_user_course: course cells follow the per-person rows (staff only).
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
-- insight_first_attempt: mastery cells follow the per-person rows (staff only).
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
-- Triggers on the raw tables are named to fire after the per-person rollup triggers of insights.sql
-- (same order of locks in every transaction).
CREATE OR REPLACE TRIGGER insight_user_insert_dept AFTER INSERT ON "user" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_user_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_user_update_dept AFTER UPDATE ON "user" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_user_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_user_delete_dept AFTER DELETE ON "user" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_user_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_user_truncate_dept AFTER TRUNCATE ON "user" FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_user_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_completion_insert_dept AFTER INSERT ON completion REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_completion_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_completion_update_dept AFTER UPDATE ON completion REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_completion_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_completion_delete_dept AFTER DELETE ON completion REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_completion_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_completion_truncate_dept AFTER TRUNCATE ON completion FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_completion_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_dept_course_insert AFTER INSERT ON insight_user_course REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_course_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_dept_course_update AFTER UPDATE ON insight_user_course REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_course_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_dept_course_delete AFTER DELETE ON insight_user_course REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_course_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_dept_course_truncate AFTER TRUNCATE ON insight_user_course FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_course_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_dept_mastery_insert AFTER INSERT ON insight_first_attempt REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_mastery_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_dept_mastery_update AFTER UPDATE ON insight_first_attempt REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_mastery_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_dept_mastery_delete AFTER DELETE ON insight_first_attempt REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_mastery_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_dept_mastery_truncate AFTER TRUNCATE ON insight_first_attempt FOR EACH STATEMENT EXECUTE FUNCTION insight_dept_mastery_changed();
