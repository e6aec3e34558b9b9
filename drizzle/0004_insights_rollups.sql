CREATE TABLE "insight_first_attempt" (
	"user_id" integer NOT NULL,
	"course_id" text NOT NULL,
	"competency_id" text NOT NULL,
	"department_id" integer NOT NULL,
	"staff" boolean NOT NULL,
	"attempted_at" timestamp with time zone NOT NULL,
	"points_earned" integer NOT NULL,
	"points_possible" integer NOT NULL,
	"answers" integer NOT NULL,
	CONSTRAINT "insight_first_attempt_user_id_course_id_competency_id_pk" PRIMARY KEY("user_id","course_id","competency_id")
);
--> statement-breakpoint
CREATE TABLE "insight_user_course" (
	"user_id" integer NOT NULL,
	"course_id" text NOT NULL,
	"department_id" integer NOT NULL,
	"staff" boolean NOT NULL,
	"last_activity_at" timestamp with time zone,
	"last_completed_at" timestamp with time zone,
	CONSTRAINT "insight_user_course_user_id_course_id_pk" PRIMARY KEY("user_id","course_id")
);
--> statement-breakpoint
CREATE INDEX "insight_first_attempt_department_idx" ON "insight_first_attempt" USING btree ("department_id","competency_id");--> statement-breakpoint
CREATE INDEX "insight_user_course_department_idx" ON "insight_user_course" USING btree ("department_id","course_id");