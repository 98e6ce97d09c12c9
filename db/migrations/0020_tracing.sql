CREATE TABLE "door_red_followups" (
	"venue_id" uuid NOT NULL,
	"checkin_id" uuid NOT NULL,
	"status" text NOT NULL,
	"note" text,
	"by_account_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "door_red_followups_venue_id_checkin_id_pk" PRIMARY KEY("venue_id","checkin_id"),
	CONSTRAINT "door_red_followups_status_ck" CHECK ("door_red_followups"."status" in ('verified','handled'))
);
--> statement-breakpoint
CREATE TABLE "identity_corrections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"requested_by_account_id" uuid NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"note" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"resolved_by_account_id" uuid,
	"resolved_at" timestamp with time zone,
	"reason" text,
	"changed_fields" jsonb,
	CONSTRAINT "identity_corrections_status_ck" CHECK ("identity_corrections"."status" in ('pending','applied','refused','withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "trace_case_contacts" (
	"case_id" uuid NOT NULL,
	"id_hash" text NOT NULL,
	"person_id" uuid,
	"marked_by_account_id" uuid NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cleared_by_account_id" uuid,
	"cleared_at" timestamp with time zone,
	CONSTRAINT "trace_case_contacts_case_id_id_hash_pk" PRIMARY KEY("case_id","id_hash")
);
--> statement-breakpoint
CREATE TABLE "trace_case_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "trace_case_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"actor_account_id" uuid,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trace_case_events_kind_ck" CHECK (kind in ('opened','window_changed','contacts_marked','contacts_cleared','handed_off','exported','closed'))
);
--> statement-breakpoint
CREATE TABLE "trace_cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"id_hash" text NOT NULL,
	"kind" text NOT NULL,
	"index_date" date NOT NULL,
	"lookback_from" timestamp with time zone NOT NULL,
	"lookback_to" timestamp with time zone,
	"window_minutes" smallint DEFAULT 30 NOT NULL,
	"region_code" varchar(12) NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"opened_by_account_id" uuid NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_by_account_id" uuid,
	"closed_at" timestamp with time zone,
	CONSTRAINT "trace_cases_kind_ck" CHECK ("trace_cases"."kind" in ('confirmed','suspected','close_contact','other_province','centralised_isolation','home_isolation')),
	CONSTRAINT "trace_cases_status_ck" CHECK (("trace_cases"."status" = 'open' and "trace_cases"."closed_at" is null) or ("trace_cases"."status" = 'closed' and "trace_cases"."closed_at" is not null)),
	CONSTRAINT "trace_cases_window_ck" CHECK ("trace_cases"."window_minutes" between 1 and 240),
	CONSTRAINT "trace_cases_lookback_ck" CHECK ("trace_cases"."lookback_to" is null or "trace_cases"."lookback_to" > "trace_cases"."lookback_from")
);
--> statement-breakpoint
CREATE TABLE "trace_handoffs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"venue_id" uuid NOT NULL,
	"checkin_id" uuid NOT NULL,
	"township_code" varchar(12) NOT NULL,
	"from_region_code" varchar(12) NOT NULL,
	"created_by_account_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notices" DROP CONSTRAINT "notices_kind_ck";--> statement-breakpoint
-- Officials granted before regions existed act for the whole province (SPEC T1).
ALTER TABLE "account_roles" ADD COLUMN "region_code" varchar(12) NOT NULL DEFAULT '44';--> statement-breakpoint
ALTER TABLE "account_roles" ALTER COLUMN "region_code" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "trace_case_contacts" ADD CONSTRAINT "trace_case_contacts_case_id_trace_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."trace_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trace_case_events" ADD CONSTRAINT "trace_case_events_case_id_trace_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."trace_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trace_handoffs" ADD CONSTRAINT "trace_handoffs_case_id_trace_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."trace_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "identity_corrections_person_idx" ON "identity_corrections" USING btree ("person_id","requested_at");--> statement-breakpoint
CREATE UNIQUE INDEX "identity_corrections_pending_uq" ON "identity_corrections" USING btree ("person_id") WHERE "identity_corrections"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "trace_case_contacts_hash_idx" ON "trace_case_contacts" USING btree ("id_hash");--> statement-breakpoint
CREATE INDEX "trace_case_events_case_idx" ON "trace_case_events" USING btree ("case_id","at");--> statement-breakpoint
CREATE INDEX "trace_cases_open_person_idx" ON "trace_cases" USING btree ("person_id") WHERE "trace_cases"."status" = 'open';--> statement-breakpoint
CREATE INDEX "trace_cases_region_idx" ON "trace_cases" USING btree ("region_code","opened_at");--> statement-breakpoint
CREATE UNIQUE INDEX "trace_handoffs_visit_uq" ON "trace_handoffs" USING btree ("case_id","venue_id","checkin_id");--> statement-breakpoint
CREATE INDEX "trace_handoffs_township_idx" ON "trace_handoffs" USING btree ("township_code","created_at");--> statement-breakpoint
CREATE INDEX "venues_township_idx" ON "venues" USING btree ("township_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "checkins_red_time_idx" ON "checkins" USING btree ("venue_id","effective_at") WHERE "checkins"."colour" = 'red';--> statement-breakpoint
ALTER TABLE "account_roles" ADD CONSTRAINT "account_roles_region_ck" CHECK ("account_roles"."region_code" ~ '^44([0-9]{2}|[0-9]{4}|[0-9]{7})?$');--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_kind_ck" CHECK ("notices"."kind" in ('fever','red_code','checker_pending','admin_invitation','binding_approved','binding_removed','link_request','link_result','guardian_added','guardian_removed','code_reissued','phone_change','account_deletion','venue_closed','close_contact','close_contact_cleared','case_handoff','official_role','identity_corrected'));--> statement-breakpoint
-- Nothing of a case is deleted (SPEC T2): the timeline is append-only; cases, contacts and hand-offs
-- change (closed, window changed, cleared) but are never deleted or truncated.
CREATE TRIGGER trace_case_events_append_only BEFORE UPDATE OR DELETE ON trace_case_events FOR EACH ROW EXECUTE FUNCTION refuse_change();--> statement-breakpoint
CREATE TRIGGER trace_case_events_no_truncate BEFORE TRUNCATE ON trace_case_events FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();--> statement-breakpoint
CREATE TRIGGER trace_cases_no_delete BEFORE DELETE ON trace_cases FOR EACH ROW EXECUTE FUNCTION refuse_change();--> statement-breakpoint
CREATE TRIGGER trace_cases_no_truncate BEFORE TRUNCATE ON trace_cases FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();--> statement-breakpoint
CREATE TRIGGER trace_case_contacts_no_delete BEFORE DELETE ON trace_case_contacts FOR EACH ROW EXECUTE FUNCTION refuse_change();--> statement-breakpoint
CREATE TRIGGER trace_case_contacts_no_truncate BEFORE TRUNCATE ON trace_case_contacts FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();--> statement-breakpoint
CREATE TRIGGER trace_handoffs_append_only BEFORE UPDATE OR DELETE ON trace_handoffs FOR EACH ROW EXECUTE FUNCTION refuse_change();--> statement-breakpoint
CREATE TRIGGER trace_handoffs_no_truncate BEFORE TRUNCATE ON trace_handoffs FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();--> statement-breakpoint
-- SPEC L4 / T2: an open case holds from the retention cut the person's own records in its look-back
-- window, and every record at the venue of one of those visits within the co-presence window around it.
-- Same signature as 0019's placeholder; called by checkins_cut_person_links (the owner's function).
CREATE OR REPLACE FUNCTION checkin_held_by_case(p_venue_id uuid, p_person_id uuid, p_effective_at timestamptz) RETURNS boolean
  LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
      SELECT 1 FROM trace_cases c
       WHERE c.status = 'open' AND c.person_id = p_person_id
         AND p_effective_at >= c.lookback_from AND (c.lookback_to IS NULL OR p_effective_at <= c.lookback_to))
    OR EXISTS (
      SELECT 1 FROM trace_cases c
        JOIN checkins v ON v.person_id = c.person_id AND v.venue_id = p_venue_id
       WHERE c.status = 'open'
         AND v.effective_at >= c.lookback_from AND (c.lookback_to IS NULL OR v.effective_at <= c.lookback_to)
         AND v.effective_at BETWEEN p_effective_at - make_interval(mins => c.window_minutes)
                                AND p_effective_at + make_interval(mins => c.window_minutes))
$$;
