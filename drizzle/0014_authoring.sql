CREATE TABLE "competency_framework" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "competency_framework_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"yaml" text NOT NULL,
	"version" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "course_revision" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "course_revision_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"course_id" text NOT NULL,
	"number" integer NOT NULL,
	"dir" text NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"source" text NOT NULL,
	"files" jsonb NOT NULL,
	"version" text NOT NULL,
	"based_on" integer,
	"author_id" integer,
	"reviewer_id" integer,
	"review_comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "library_state" (
	"id" integer PRIMARY KEY NOT NULL,
	"counter" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "revision_image" (
	"revision_id" integer NOT NULL,
	"name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"alt" text DEFAULT '' NOT NULL,
	"bytes" "bytea" NOT NULL,
	CONSTRAINT "revision_image_revision_id_name_pk" PRIMARY KEY("revision_id","name")
);
--> statement-breakpoint
ALTER TABLE "course_revision" ADD CONSTRAINT "course_revision_author_id_user_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_revision" ADD CONSTRAINT "course_revision_reviewer_id_user_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revision_image" ADD CONSTRAINT "revision_image_revision_id_course_revision_id_fk" FOREIGN KEY ("revision_id") REFERENCES "public"."course_revision"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "course_revision_course_number_key" ON "course_revision" USING btree ("course_id","number");--> statement-breakpoint
CREATE INDEX "course_revision_state_idx" ON "course_revision" USING btree ("state","course_id");--> statement-breakpoint
CREATE INDEX "course_revision_version_idx" ON "course_revision" USING btree ("course_id","version");