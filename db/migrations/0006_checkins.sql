CREATE TABLE "checkins" (
	"venue_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"checker_account_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"method" text NOT NULL,
	"temperature_deci" smallint,
	"fever" boolean NOT NULL,
	"colour" text NOT NULL,
	"red_reason" text,
	"supersedes_id" uuid,
	"superseded_by_id" uuid,
	"scanned_at" timestamp with time zone NOT NULL,
	"clock_offset_ms" integer NOT NULL,
	"effective_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"late" boolean NOT NULL,
	"payload_hash" text NOT NULL,
	CONSTRAINT "checkins_venue_id_id_pk" PRIMARY KEY("venue_id","id"),
	CONSTRAINT "checkins_method_ck" CHECK ("checkins"."method" in ('scan','quick','typed')),
	CONSTRAINT "checkins_colour_ck" CHECK ("checkins"."colour" in ('green','red')),
	CONSTRAINT "checkins_temperature_ck" CHECK (("checkins"."method" = 'quick' and "checkins"."temperature_deci" is null and not "checkins"."fever") or ("checkins"."method" <> 'quick' and "checkins"."temperature_deci" between 340 and 430 and "checkins"."fever" = ("checkins"."temperature_deci" >= 373)))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "checkins_client_uq" ON "checkins" USING btree ("venue_id","client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "checkins_successor_uq" ON "checkins" USING btree ("venue_id","supersedes_id") WHERE "checkins"."supersedes_id" is not null;--> statement-breakpoint
CREATE INDEX "checkins_person_idx" ON "checkins" USING btree ("venue_id","person_id","effective_at");--> statement-breakpoint
CREATE INDEX "checkins_time_idx" ON "checkins" USING btree ("venue_id","effective_at");--> statement-breakpoint
CREATE INDEX "checkins_checker_idx" ON "checkins" USING btree ("venue_id","checker_account_id","effective_at");--> statement-breakpoint
CREATE INDEX "checkins_person_global_idx" ON "checkins" USING btree ("person_id","effective_at");