CREATE TABLE "insight_dept_delta" (
	"txid" bigint NOT NULL,
	"kind" text NOT NULL,
	"department_id" integer NOT NULL,
	"key" text,
	"year" integer,
	"active" boolean,
	"hours" numeric(8, 1),
	"people" integer DEFAULT 0 NOT NULL,
	"earned" integer DEFAULT 0 NOT NULL,
	"possible" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "insight_dept_flush" (
	"txid" bigint PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE INDEX "insight_dept_delta_txid_idx" ON "insight_dept_delta" USING btree ("txid");