CREATE TABLE "account_deletions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"status" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"effective_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "account_deletions_status_ck" CHECK ("account_deletions"."status" in ('pending','completed','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "account_phone_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"old_phone" varchar(11),
	"new_phone" varchar(11) NOT NULL,
	"mode" text NOT NULL,
	"status" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"effective_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"stopped_by_account_id" uuid,
	"outcome" text,
	CONSTRAINT "account_phone_changes_mode_ck" CHECK ("account_phone_changes"."mode" in ('signed_in','recovery')),
	CONSTRAINT "account_phone_changes_status_ck" CHECK ("account_phone_changes"."status" in ('pending','completed','stopped','failed'))
);
--> statement-breakpoint
CREATE TABLE "link_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"requester_account_id" uuid NOT NULL,
	"relation" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by_account_id" uuid,
	CONSTRAINT "link_requests_relation_ck" CHECK ("link_requests"."relation" in ('family','self')),
	CONSTRAINT "link_requests_status_ck" CHECK ("link_requests"."status" in ('pending','accepted','refused','cancelled','expired'))
);
--> statement-breakpoint
ALTER TABLE "checker_bindings" DROP CONSTRAINT "checker_bindings_end_reason_ck";--> statement-breakpoint
ALTER TABLE "notices" DROP CONSTRAINT "notices_kind_ck";--> statement-breakpoint
DROP INDEX "venues_admin_uq";--> statement-breakpoint
ALTER TABLE "accounts" ALTER COLUMN "phone" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "checkins" ALTER COLUMN "person_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "venues" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "venues" ADD COLUMN "closed_by_account_id" uuid;--> statement-breakpoint
ALTER TABLE "account_deletions" ADD CONSTRAINT "account_deletions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_phone_changes" ADD CONSTRAINT "account_phone_changes_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_requests" ADD CONSTRAINT "link_requests_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_requests" ADD CONSTRAINT "link_requests_requester_account_id_accounts_id_fk" FOREIGN KEY ("requester_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "account_deletions_pending_uq" ON "account_deletions" USING btree ("account_id") WHERE "account_deletions"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "account_deletions_due_idx" ON "account_deletions" USING btree ("effective_at") WHERE "account_deletions"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "account_phone_changes_pending_uq" ON "account_phone_changes" USING btree ("account_id") WHERE "account_phone_changes"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "account_phone_changes_new_phone_uq" ON "account_phone_changes" USING btree ("new_phone") WHERE "account_phone_changes"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "account_phone_changes_due_idx" ON "account_phone_changes" USING btree ("effective_at") WHERE "account_phone_changes"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "link_requests_pending_uq" ON "link_requests" USING btree ("person_id","requester_account_id") WHERE "link_requests"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "link_requests_requester_idx" ON "link_requests" USING btree ("requester_account_id","created_at");--> statement-breakpoint
CREATE INDEX "link_requests_person_idx" ON "link_requests" USING btree ("person_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "venues_admin_uq" ON "venues" USING btree ("admin_account_id") WHERE "venues"."closed_at" is null;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_deleted_ck" CHECK (("accounts"."phone" is null) = ("accounts"."deleted_at" is not null));--> statement-breakpoint
ALTER TABLE "checker_bindings" ADD CONSTRAINT "checker_bindings_end_reason_ck" CHECK ("checker_bindings"."end_reason" is null or "checker_bindings"."end_reason" in ('self','removed','rejected','became_admin','venue_closed','account_deleted'));--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_kind_ck" CHECK ("notices"."kind" in ('fever','red_code','checker_pending','admin_invitation','binding_approved','binding_removed','link_request','link_result','guardian_added','guardian_removed','code_reissued','phone_change','account_deletion','venue_closed'));--> statement-breakpoint
-- SPEC L2/L4 (#19): the one change ever allowed to a check-in is cutting its link to a person (person_id
-- set to null, every other column unchanged), and only inside the owner's functions, which set the
-- transaction-local flag below. The app's role has no UPDATE on checkins at all (db/grants.ts), so on
-- the server the flag alone opens nothing; on PGlite (one role) the trigger still refuses every other change.
CREATE FUNCTION checkins_guard_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND current_setting('venues.cut_person_link', true) = 'on'
     AND OLD.person_id IS NOT NULL AND NEW.person_id IS NULL
     AND (to_jsonb(NEW) - 'person_id') = (to_jsonb(OLD) - 'person_id') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'P0001';
END;
$$;--> statement-breakpoint
DROP TRIGGER checkins_append_only ON checkins;--> statement-breakpoint
CREATE TRIGGER checkins_append_only BEFORE UPDATE OR DELETE ON checkins
  FOR EACH ROW EXECUTE FUNCTION checkins_guard_change();--> statement-breakpoint
-- Evidence about a person that goes with them when they are erased (colour history keyed by their
-- document's hash, their ended codes): deleted only inside person_erase, never changed.
CREATE FUNCTION refuse_change_unless_erasing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('venues.erasing', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'P0001';
END;
$$;--> statement-breakpoint
DROP TRIGGER status_changes_append_only ON status_changes;--> statement-breakpoint
CREATE TRIGGER status_changes_append_only BEFORE UPDATE OR DELETE ON status_changes
  FOR EACH ROW EXECUTE FUNCTION refuse_change_unless_erasing();--> statement-breakpoint
DROP TRIGGER person_code_history_append_only ON person_code_history;--> statement-breakpoint
CREATE TRIGGER person_code_history_append_only BEFORE UPDATE OR DELETE ON person_code_history
  FOR EACH ROW EXECUTE FUNCTION refuse_change_unless_erasing();--> statement-breakpoint
-- Erases a person's identity (account deletion, SPEC L2): their colour history, ended codes, display log
-- and link requests go, their check-ins lose the link (every fact for statistics stays on the record),
-- and the person row goes. Runs as the owner (SECURITY DEFINER, pinned search_path); the app may call it
-- only for a person nobody is linked to any more (no guardian, no own account): the app ends those links
-- first, in the same transaction, so a person still guarded by someone else is never erased.
CREATE FUNCTION person_erase(p_person uuid) RETURNS integer LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp AS $$
DECLARE
  v_hash text;
  v_self uuid;
  v_cut integer;
BEGIN
  SELECT id_hash, self_account_id INTO v_hash, v_self FROM persons WHERE id = p_person FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'person % not found', p_person USING ERRCODE = 'P0002';
  END IF;
  IF v_self IS NOT NULL OR EXISTS (SELECT 1 FROM guardianships WHERE person_id = p_person) THEN
    RAISE EXCEPTION 'person % is still linked to an account', p_person USING ERRCODE = '55006';
  END IF;
  PERFORM set_config('venues.erasing', 'on', true);
  PERFORM set_config('venues.cut_person_link', 'on', true);
  DELETE FROM status_changes WHERE id_hash = v_hash;
  DELETE FROM person_code_history WHERE person_id = p_person;
  DELETE FROM code_displays WHERE person_id = p_person;
  UPDATE checkins SET person_id = NULL WHERE person_id = p_person;
  GET DIAGNOSTICS v_cut = ROW_COUNT;
  DELETE FROM persons WHERE id = p_person;
  PERFORM set_config('venues.erasing', 'off', true);
  PERFORM set_config('venues.cut_person_link', 'off', true);
  RETURN v_cut;
END;
$$;
