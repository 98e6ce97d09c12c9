CREATE TABLE "notice_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"venue_id" uuid NOT NULL,
	"checkin_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notice_reads" (
	"account_id" uuid NOT NULL,
	"notice_id" uuid NOT NULL,
	"read_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notice_reads_account_id_notice_id_pk" PRIMARY KEY("account_id","notice_id")
);
--> statement-breakpoint
CREATE TABLE "notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"audience" text NOT NULL,
	"venue_id" uuid,
	"account_id" uuid,
	"phone" varchar(11),
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"source" text,
	"happened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notices_source_unique" UNIQUE("source"),
	CONSTRAINT "notices_kind_ck" CHECK ("notices"."kind" in ('fever','red_code','checker_pending','admin_invitation','binding_approved','binding_removed')),
	CONSTRAINT "notices_audience_ck" CHECK (("notices"."audience" = 'venue_admin' and "notices"."venue_id" is not null and "notices"."account_id" is null and "notices"."phone" is null)
       or ("notices"."audience" = 'account' and "notices"."account_id" is not null and "notices"."phone" is null)
       or ("notices"."audience" = 'phone' and "notices"."phone" is not null and "notices"."account_id" is null))
);
--> statement-breakpoint
ALTER TABLE "notice_outbox" ADD CONSTRAINT "notice_outbox_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_reads" ADD CONSTRAINT "notice_reads_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_reads" ADD CONSTRAINT "notice_reads_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notice_outbox_checkin_idx" ON "notice_outbox" USING btree ("checkin_id");--> statement-breakpoint
CREATE INDEX "notices_venue_idx" ON "notices" USING btree ("venue_id","created_at") WHERE "notices"."audience" = 'venue_admin';--> statement-breakpoint
CREATE INDEX "notices_account_idx" ON "notices" USING btree ("account_id","created_at") WHERE "notices"."audience" = 'account';--> statement-breakpoint
CREATE INDEX "notices_phone_idx" ON "notices" USING btree ("phone","created_at") WHERE "notices"."audience" = 'phone';--> statement-breakpoint
-- The door's outbox (#18): a fever or a red code stored at the door leaves one row for the notice job, in
-- the door's own transaction. Any other record fires nothing (the WHEN clause is checked before a trigger
-- event is even queued), so the door's common path costs what it did.
CREATE FUNCTION checkin_notice_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO notice_outbox (venue_id, checkin_id) VALUES (NEW.venue_id, NEW.id);
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER checkins_notice_outbox AFTER INSERT ON checkins FOR EACH ROW
  WHEN (NEW.fever IS TRUE OR NEW.colour = 'red') EXECUTE FUNCTION checkin_notice_outbox();
