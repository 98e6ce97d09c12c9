CREATE TABLE "alert_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"venue_id" uuid NOT NULL,
	"kind" text DEFAULT 'venue_digest' NOT NULL,
	"template" text NOT NULL,
	"params" jsonb NOT NULL,
	"fevers" integer NOT NULL,
	"reds" integer NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"china_day" date NOT NULL,
	"covers_from" timestamp with time zone NOT NULL,
	"covers_until" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"last_error" text,
	"recipient_account_id" uuid,
	"recipient_phone" varchar(11),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "alert_messages_kind_ck" CHECK ("alert_messages"."kind" in ('venue_digest')),
	CONSTRAINT "alert_messages_status_ck" CHECK ("alert_messages"."status" in ('pending','sent','failed'))
);
--> statement-breakpoint
CREATE TABLE "alert_pending" (
	"venue_id" uuid PRIMARY KEY NOT NULL,
	"fevers" integer DEFAULT 0 NOT NULL,
	"reds" integer DEFAULT 0 NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "venue_alert_settings" (
	"venue_id" uuid PRIMARY KEY NOT NULL,
	"sms_enabled" boolean DEFAULT true NOT NULL,
	"quiet_start_min" smallint DEFAULT 1320,
	"quiet_end_min" smallint DEFAULT 420,
	"daily_cap" smallint DEFAULT 20 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "venue_alert_settings_quiet_ck" CHECK (("venue_alert_settings"."quiet_start_min" is null and "venue_alert_settings"."quiet_end_min" is null)
       or ("venue_alert_settings"."quiet_start_min" between 0 and 1439 and "venue_alert_settings"."quiet_end_min" between 0 and 1439 and "venue_alert_settings"."quiet_start_min" <> "venue_alert_settings"."quiet_end_min")),
	CONSTRAINT "venue_alert_settings_cap_ck" CHECK ("venue_alert_settings"."daily_cap" between 1 and 50)
);
--> statement-breakpoint
ALTER TABLE "alert_messages" ADD CONSTRAINT "alert_messages_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_messages" ADD CONSTRAINT "alert_messages_recipient_account_id_accounts_id_fk" FOREIGN KEY ("recipient_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_pending" ADD CONSTRAINT "alert_pending_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venue_alert_settings" ADD CONSTRAINT "venue_alert_settings_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venue_alert_settings" ADD CONSTRAINT "venue_alert_settings_updated_by_accounts_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "alert_messages_window_uq" ON "alert_messages" USING btree ("venue_id","window_start");--> statement-breakpoint
CREATE INDEX "alert_messages_venue_idx" ON "alert_messages" USING btree ("venue_id","created_at");--> statement-breakpoint
CREATE INDEX "alert_messages_due_idx" ON "alert_messages" USING btree ("next_attempt_at") WHERE "alert_messages"."status" = 'pending';--> statement-breakpoint
-- 短信提醒 (#18): every fever or red-code venue notice is added to its venue's alert_pending row in the
-- notice job's transaction; the door's path is untouched (it only appends to notice_outbox). Other notices
-- fire nothing (WHEN). The digest job takes rows FOR UPDATE SKIP LOCKED and deletes what it texted or
-- dropped in the same transaction, so each notice is counted exactly once, whenever it commits.
CREATE FUNCTION notice_alert_pending() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO alert_pending AS p (venue_id, fevers, reds, first_at, last_at)
  VALUES (NEW.venue_id, (NEW.kind = 'fever')::int, (NEW.kind = 'red_code')::int, NEW.happened_at, NEW.happened_at)
  ON CONFLICT (venue_id) DO UPDATE SET fevers = p.fevers + EXCLUDED.fevers, reds = p.reds + EXCLUDED.reds,
    first_at = least(p.first_at, EXCLUDED.first_at), last_at = greatest(p.last_at, EXCLUDED.last_at);
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER notices_alert_pending AFTER INSERT ON notices FOR EACH ROW
  WHEN (NEW.audience = 'venue_admin' AND NEW.kind IN ('fever', 'red_code')) EXECUTE FUNCTION notice_alert_pending();
