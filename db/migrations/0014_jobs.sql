CREATE TABLE "job_runs" (
	"job" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"cursor" jsonb,
	"processed" bigint DEFAULT 0 NOT NULL,
	"slices" integer DEFAULT 0 NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"retry_at" timestamp with time zone,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "job_runs_job_period_start_pk" PRIMARY KEY("job","period_start"),
	CONSTRAINT "job_runs_status_ck" CHECK ("job_runs"."status" in ('pending','done')),
	CONSTRAINT "job_runs_finished_ck" CHECK (("job_runs"."status" = 'done') = ("job_runs"."finished_at" is not null))
);
--> statement-breakpoint
CREATE INDEX "job_runs_unfinished_idx" ON "job_runs" USING btree ("job","period_start") WHERE "job_runs"."finished_at" is null;