CREATE TABLE "checker_day_stats" (
	"venue_id" uuid NOT NULL,
	"checker_account_id" uuid NOT NULL,
	"day" date NOT NULL,
	"records" integer DEFAULT 0 NOT NULL,
	"fevers" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "checker_day_stats_venue_id_checker_account_id_day_pk" PRIMARY KEY("venue_id","checker_account_id","day")
);
--> statement-breakpoint
CREATE TABLE "checkin_rollup_queue" (
	"venue_id" uuid NOT NULL,
	"id" integer GENERATED ALWAYS AS IDENTITY (sequence name "checkin_rollup_queue_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"checkin_id" uuid NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checkin_rollup_queue_venue_id_id_pk" PRIMARY KEY("venue_id","id")
);
--> statement-breakpoint
CREATE TABLE "venue_day_demographics" (
	"venue_id" uuid NOT NULL,
	"day" date NOT NULL,
	"gender" varchar(1) NOT NULL,
	"age_band" text NOT NULL,
	"visitors" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "venue_day_demographics_venue_id_day_gender_age_band_pk" PRIMARY KEY("venue_id","day","gender","age_band")
);
--> statement-breakpoint
CREATE TABLE "venue_day_stats" (
	"venue_id" uuid NOT NULL,
	"day" date NOT NULL,
	"checkins" integer DEFAULT 0 NOT NULL,
	"fevers" integer DEFAULT 0 NOT NULL,
	"reds" integer DEFAULT 0 NOT NULL,
	"quick" integer DEFAULT 0 NOT NULL,
	"visitors" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "venue_day_stats_venue_id_day_pk" PRIMARY KEY("venue_id","day")
);
--> statement-breakpoint
CREATE TABLE "venue_hour_stats" (
	"venue_id" uuid NOT NULL,
	"day" date NOT NULL,
	"hour" smallint NOT NULL,
	"checkins" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "venue_hour_stats_venue_id_day_hour_pk" PRIMARY KEY("venue_id","day","hour")
);
--> statement-breakpoint
CREATE TABLE "venue_visitor_days" (
	"venue_id" uuid NOT NULL,
	"day" date NOT NULL,
	"person_id" uuid NOT NULL,
	"records" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "venue_visitor_days_venue_id_day_person_id_pk" PRIMARY KEY("venue_id","day","person_id")
);
--> statement-breakpoint
CREATE INDEX "checkin_rollup_queue_id_idx" ON "checkin_rollup_queue" USING btree ("id");