CREATE TABLE "insight_dept_course" (
	"department_id" integer NOT NULL,
	"course_id" text NOT NULL,
	"completed_year" integer NOT NULL,
	"active" boolean NOT NULL,
	"people" integer NOT NULL,
	CONSTRAINT "insight_dept_course_department_id_course_id_completed_year_active_pk" PRIMARY KEY("department_id","course_id","completed_year","active")
);
--> statement-breakpoint
CREATE TABLE "insight_dept_hours" (
	"department_id" integer NOT NULL,
	"year" integer NOT NULL,
	"hours" numeric(8, 1) NOT NULL,
	"people" integer NOT NULL,
	CONSTRAINT "insight_dept_hours_department_id_year_hours_pk" PRIMARY KEY("department_id","year","hours")
);
--> statement-breakpoint
CREATE TABLE "insight_dept_mastery" (
	"department_id" integer NOT NULL,
	"competency_id" text NOT NULL,
	"people" integer NOT NULL,
	"earned" integer NOT NULL,
	"possible" integer NOT NULL,
	CONSTRAINT "insight_dept_mastery_department_id_competency_id_pk" PRIMARY KEY("department_id","competency_id")
);
--> statement-breakpoint
CREATE TABLE "insight_dept_staff" (
	"department_id" integer PRIMARY KEY NOT NULL,
	"staff" integer NOT NULL
);
