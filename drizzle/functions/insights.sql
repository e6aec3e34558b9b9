-- Per-person HR insights rollups, insight_user_course and insight_first_attempt (tables in 0004):
-- kept exact by triggers in the same transaction as every write to the raw tables, whoever writes (the
-- app, seeds, imports, COPY). Statement-level triggers with transition tables, so a bulk insert
-- recomputes its keys in one set-based statement. The department rollups built on these rows are in
-- insights-departments.sql.
--
-- Concurrency: every change for a person takes a transaction-level advisory lock on that person
-- (or, for bulk statements, a table lock on the rollups) before recomputing from the raw tables in a
-- new statement, so two transactions touching the same person cannot overwrite each other with stale
-- figures, and a department move cannot race with that person's learning.
--
-- The one definition of these objects: every database (fresh, or migrated before this file existed,
-- PGlite or Postgres) ends equal to this file. Change them here, never by copying them into a migration:
-- `migrate()` (src/lib/server/db/sql-functions.ts) runs every file in drizzle/functions/, in file-name
-- order, after the drizzle migrations whenever a file's text changed or a migration ran. So every
-- statement must be safe to run again (CREATE OR REPLACE; DROP … IF EXISTS before what cannot be
-- replaced), statements are separated by breakpoint lines as in migrations, and a table change
-- stays a generated migration. tests/integration/sql-functions.test.ts checks the database against this file.

CREATE OR REPLACE FUNCTION insight_lock_users(p_users integer[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF cardinality(p_users) > 256 THEN
		-- Many people at once (imports, generators): one table lock instead of thousands of advisory locks.
		LOCK TABLE insight_user_course, insight_first_attempt IN SHARE ROW EXCLUSIVE MODE;
	ELSE
		PERFORM pg_advisory_xact_lock(71010, s.u) FROM (SELECT DISTINCT u FROM unnest(p_users) AS t(u) ORDER BY u) s;
	END IF;
END $$;
--> statement-breakpoint
-- Recomputes the per-person course rows for the given (user, course) pairs from the raw tables.
CREATE OR REPLACE FUNCTION insight_refresh_user_course(p_users integer[], p_courses text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM insight_lock_users(p_users);
	WITH k AS (
		SELECT DISTINCT user_id, course_id FROM unnest(p_users, p_courses) AS t(user_id, course_id)
	),
	v AS (
		SELECT k.user_id, k.course_id, u.department_id, u.status <> 'inactive' AS staff,
			greatest(
				(SELECT max(greatest(e.started_at, e.last_seen_at)) FROM enrollment e WHERE e.user_id = k.user_id AND e.course_id = k.course_id),
				(SELECT max(l.completed_at) FROM lesson_progress l WHERE l.user_id = k.user_id AND l.course_id = k.course_id),
				(SELECT max(a.started_at) FROM quiz_attempt a WHERE a.user_id = k.user_id AND a.course_id = k.course_id)
			) AS last_activity_at,
			(SELECT max(c.completed_at) FROM completion c WHERE c.user_id = k.user_id AND c.course_id = k.course_id AND c.revoked_at IS NULL) AS last_completed_at
		FROM k JOIN "user" u ON u.id = k.user_id
	),
	gone AS (
		DELETE FROM insight_user_course x USING k
		WHERE x.user_id = k.user_id AND x.course_id = k.course_id
			AND NOT EXISTS (SELECT 1 FROM v WHERE v.user_id = k.user_id AND v.course_id = k.course_id AND (v.last_activity_at IS NOT NULL OR v.last_completed_at IS NOT NULL))
	)
	INSERT INTO insight_user_course (user_id, course_id, department_id, staff, last_activity_at, last_completed_at)
	SELECT user_id, course_id, department_id, staff, last_activity_at, last_completed_at FROM v
	WHERE last_activity_at IS NOT NULL OR last_completed_at IS NOT NULL
	ON CONFLICT (user_id, course_id) DO UPDATE SET
		department_id = excluded.department_id,
		staff = excluded.staff,
		last_activity_at = excluded.last_activity_at,
		last_completed_at = excluded.last_completed_at;
END $$;
--> statement-breakpoint
-- Recomputes the first-attempt points for the given (user, course) pairs from attempt_answer.
CREATE OR REPLACE FUNCTION insight_refresh_first_attempt(p_users integer[], p_courses text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM insight_lock_users(p_users);
	DELETE FROM insight_first_attempt x USING unnest(p_users, p_courses) AS k(user_id, course_id)
	WHERE x.user_id = k.user_id AND x.course_id = k.course_id;
	INSERT INTO insight_first_attempt (user_id, course_id, competency_id, department_id, staff, attempted_at, points_earned, points_possible, answers)
	SELECT a.user_id, a.course_id, a.competency_id, u.department_id, u.status <> 'inactive',
		min(a.answered_at), sum(a.points_earned), sum(a.points_possible), count(*)
	FROM (SELECT DISTINCT user_id, course_id FROM unnest(p_users, p_courses) AS t(user_id, course_id)) k
	JOIN attempt_answer a ON a.user_id = k.user_id AND a.course_id = k.course_id AND a.attempt_no = 1
	JOIN "user" u ON u.id = a.user_id
	GROUP BY a.user_id, a.course_id, a.competency_id, u.department_id, u.status;
END $$;
--> statement-breakpoint
-- Both rollups from scratch (migration backfill, and after a TRUNCATE of a raw table).
CREATE OR REPLACE FUNCTION insight_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	LOCK TABLE insight_user_course, insight_first_attempt IN SHARE ROW EXCLUSIVE MODE;
	DELETE FROM insight_user_course;
	INSERT INTO insight_user_course (user_id, course_id, department_id, staff, last_activity_at, last_completed_at)
	SELECT x.user_id, x.course_id, u.department_id, u.status <> 'inactive', max(x.activity_at), max(x.completed_at)
	FROM (
		SELECT user_id, course_id, greatest(started_at, last_seen_at) AS activity_at, NULL::timestamptz AS completed_at FROM enrollment
		UNION ALL SELECT user_id, course_id, completed_at, NULL FROM lesson_progress
		UNION ALL SELECT user_id, course_id, started_at, NULL FROM quiz_attempt
		UNION ALL SELECT user_id, course_id, NULL, completed_at FROM completion WHERE revoked_at IS NULL
	) x
	JOIN "user" u ON u.id = x.user_id
	GROUP BY x.user_id, x.course_id, u.department_id, u.status;
	DELETE FROM insight_first_attempt;
	INSERT INTO insight_first_attempt (user_id, course_id, competency_id, department_id, staff, attempted_at, points_earned, points_possible, answers)
	SELECT a.user_id, a.course_id, a.competency_id, u.department_id, u.status <> 'inactive',
		min(a.answered_at), sum(a.points_earned), sum(a.points_possible), count(*)
	FROM attempt_answer a JOIN "user" u ON u.id = a.user_id
	WHERE a.attempt_no = 1
	GROUP BY a.user_id, a.course_id, a.competency_id, u.department_id, u.status;
END $$;
--> statement-breakpoint
-- enrollment, lesson_progress, quiz_attempt, completion: the (user, course) pairs a statement touched.
CREATE OR REPLACE FUNCTION insight_user_course_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	us integer[];
	cs text[];
BEGIN
	IF TG_OP = 'INSERT' THEN
		SELECT array_agg(user_id), array_agg(course_id) INTO us, cs FROM (SELECT DISTINCT user_id, course_id FROM new_rows) k;
	ELSIF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'quiz_attempt' THEN
		-- Submitting an attempt updates its row: only a changed start, person or course matters here.
		SELECT array_agg(user_id), array_agg(course_id) INTO us, cs FROM (
			SELECT n.user_id, n.course_id FROM new_rows n JOIN old_rows o ON o.id = n.id
			WHERE (n.user_id, n.course_id, n.started_at) IS DISTINCT FROM (o.user_id, o.course_id, o.started_at)
			UNION SELECT o.user_id, o.course_id FROM new_rows n JOIN old_rows o ON o.id = n.id
			WHERE (n.user_id, n.course_id, n.started_at) IS DISTINCT FROM (o.user_id, o.course_id, o.started_at)
		) k;
	ELSIF TG_OP = 'UPDATE' THEN
		SELECT array_agg(user_id), array_agg(course_id) INTO us, cs FROM (SELECT user_id, course_id FROM new_rows UNION SELECT user_id, course_id FROM old_rows) k;
	ELSIF TG_OP = 'DELETE' THEN
		SELECT array_agg(user_id), array_agg(course_id) INTO us, cs FROM (SELECT DISTINCT user_id, course_id FROM old_rows) k;
	ELSE
		PERFORM insight_rebuild();
		RETURN NULL;
	END IF;
	IF us IS NOT NULL THEN
		PERFORM insight_refresh_user_course(us, cs);
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
-- attempt_answer: only first attempts count for mastery.
CREATE OR REPLACE FUNCTION insight_first_attempt_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	us integer[];
	cs text[];
BEGIN
	IF TG_OP = 'INSERT' THEN
		SELECT array_agg(user_id), array_agg(course_id) INTO us, cs FROM (SELECT DISTINCT user_id, course_id FROM new_rows WHERE attempt_no = 1) k;
	ELSIF TG_OP = 'UPDATE' THEN
		SELECT array_agg(user_id), array_agg(course_id) INTO us, cs FROM (
			SELECT user_id, course_id FROM new_rows WHERE attempt_no = 1 UNION SELECT user_id, course_id FROM old_rows WHERE attempt_no = 1
		) k;
	ELSIF TG_OP = 'DELETE' THEN
		SELECT array_agg(user_id), array_agg(course_id) INTO us, cs FROM (SELECT DISTINCT user_id, course_id FROM old_rows WHERE attempt_no = 1) k;
	ELSE
		PERFORM insight_rebuild();
		RETURN NULL;
	END IF;
	IF us IS NOT NULL THEN
		PERFORM insight_refresh_first_attempt(us, cs);
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
-- "user": a department move or a status change moves the person's rows with them.
CREATE OR REPLACE FUNCTION insight_user_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	us integer[];
BEGIN
	IF TG_OP = 'UPDATE' THEN
		SELECT array_agg(n.id) INTO us FROM new_rows n JOIN old_rows o ON o.id = n.id
		WHERE n.department_id IS DISTINCT FROM o.department_id OR n.status IS DISTINCT FROM o.status;
		IF us IS NOT NULL THEN
			PERFORM insight_lock_users(us);
			UPDATE insight_user_course x SET department_id = u.department_id, staff = u.status <> 'inactive'
			FROM "user" u WHERE u.id = ANY(us) AND x.user_id = u.id;
			UPDATE insight_first_attempt x SET department_id = u.department_id, staff = u.status <> 'inactive'
			FROM "user" u WHERE u.id = ANY(us) AND x.user_id = u.id;
		END IF;
	ELSIF TG_OP = 'DELETE' THEN
		DELETE FROM insight_user_course x USING old_rows o WHERE x.user_id = o.id;
		DELETE FROM insight_first_attempt x USING old_rows o WHERE x.user_id = o.id;
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
-- Triggers on the raw tables. Their names sort before the department triggers on the same tables
-- (`…_dept`), so the per-person rows are current when those fire and locks are taken in the same order.
CREATE OR REPLACE TRIGGER insight_enrollment_insert AFTER INSERT ON enrollment REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_user_course_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_enrollment_update AFTER UPDATE ON enrollment REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_user_course_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_enrollment_delete AFTER DELETE ON enrollment REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_user_course_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_enrollment_truncate AFTER TRUNCATE ON enrollment FOR EACH STATEMENT EXECUTE FUNCTION insight_user_course_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_lesson_progress_insert AFTER INSERT ON lesson_progress REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_user_course_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_lesson_progress_update AFTER UPDATE ON lesson_progress REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_user_course_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_lesson_progress_delete AFTER DELETE ON lesson_progress REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_user_course_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_lesson_progress_truncate AFTER TRUNCATE ON lesson_progress FOR EACH STATEMENT EXECUTE FUNCTION insight_user_course_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_quiz_attempt_insert AFTER INSERT ON quiz_attempt REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_user_course_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_quiz_attempt_update AFTER UPDATE ON quiz_attempt REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_user_course_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_quiz_attempt_delete AFTER DELETE ON quiz_attempt REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_user_course_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_quiz_attempt_truncate AFTER TRUNCATE ON quiz_attempt FOR EACH STATEMENT EXECUTE FUNCTION insight_user_course_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_completion_insert AFTER INSERT ON completion REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_user_course_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_completion_update AFTER UPDATE ON completion REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_user_course_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_completion_delete AFTER DELETE ON completion REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_user_course_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_completion_truncate AFTER TRUNCATE ON completion FOR EACH STATEMENT EXECUTE FUNCTION insight_user_course_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_attempt_answer_insert AFTER INSERT ON attempt_answer REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_first_attempt_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_attempt_answer_update AFTER UPDATE ON attempt_answer REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_first_attempt_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_attempt_answer_delete AFTER DELETE ON attempt_answer REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_first_attempt_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_attempt_answer_truncate AFTER TRUNCATE ON attempt_answer FOR EACH STATEMENT EXECUTE FUNCTION insight_first_attempt_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_user_update AFTER UPDATE ON "user" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_user_changed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER insight_user_delete AFTER DELETE ON "user" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_user_changed();
