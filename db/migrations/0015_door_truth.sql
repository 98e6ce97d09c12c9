CREATE TABLE "person_code_history" (
	"person_id" uuid NOT NULL,
	"generation" integer NOT NULL,
	"short_code" varchar(10) NOT NULL,
	"ended_at" timestamp with time zone NOT NULL,
	CONSTRAINT "person_code_history_person_id_generation_pk" PRIMARY KEY("person_id","generation")
);
--> statement-breakpoint
CREATE TABLE "venue_entrances" (
	"venue_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text,
	"is_main" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	CONSTRAINT "venue_entrances_venue_id_id_pk" PRIMARY KEY("venue_id","id"),
	CONSTRAINT "venue_entrances_name_ck" CHECK ("venue_entrances"."is_main" or "venue_entrances"."name" is not null),
	CONSTRAINT "venue_entrances_main_kept_ck" CHECK (not ("venue_entrances"."is_main" and "venue_entrances"."removed_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "quick_links" (
	"id" varchar(16) PRIMARY KEY NOT NULL,
	"venue_id" uuid NOT NULL,
	"token" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "venue_entrance_day_stats" (
	"venue_id" uuid NOT NULL,
	"entrance_id" uuid NOT NULL,
	"day" date NOT NULL,
	"checkins" integer DEFAULT 0 NOT NULL,
	"fevers" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "venue_entrance_day_stats_venue_id_entrance_id_day_pk" PRIMARY KEY("venue_id","entrance_id","day")
);
--> statement-breakpoint
ALTER TABLE "checkins" ADD COLUMN "entrance_id" uuid;--> statement-breakpoint
ALTER TABLE "checkins" ADD COLUMN "gender" varchar(1);--> statement-breakpoint
ALTER TABLE "checkins" ADD COLUMN "age_band" text;--> statement-breakpoint
ALTER TABLE "checkins" ADD COLUMN "township_code" varchar(12);--> statement-breakpoint
ALTER TABLE "checkins" ADD COLUMN "code_reissued" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "checkins" ADD COLUMN "checker_unbound" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "person_code_history" ADD CONSTRAINT "person_code_history_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venue_entrances" ADD CONSTRAINT "venue_entrances_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "person_code_history_short_code_uq" ON "person_code_history" USING btree ("short_code");--> statement-breakpoint
CREATE UNIQUE INDEX "venue_entrances_main_uq" ON "venue_entrances" USING btree ("venue_id") WHERE "venue_entrances"."is_main";--> statement-breakpoint
CREATE UNIQUE INDEX "venue_entrances_name_uq" ON "venue_entrances" USING btree ("venue_id","name") WHERE "venue_entrances"."removed_at" is null;--> statement-breakpoint
CREATE INDEX "quick_links_expires_idx" ON "quick_links" USING btree ("expires_at");--> statement-breakpoint
-- Every venue has its main entrance (主入口); venues registered from now on get theirs at registration.
INSERT INTO venue_entrances (venue_id, is_main, created_at) SELECT id, true, created_at FROM venues;--> statement-breakpoint
-- Entrances are only ever soft-deleted (records keep naming them); ended codes never change.
CREATE TRIGGER venue_entrances_no_delete BEFORE DELETE ON venue_entrances FOR EACH ROW EXECUTE FUNCTION refuse_change();--> statement-breakpoint
CREATE TRIGGER venue_entrances_no_truncate BEFORE TRUNCATE ON venue_entrances FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();--> statement-breakpoint
CREATE TRIGGER person_code_history_append_only BEFORE UPDATE OR DELETE ON person_code_history FOR EACH ROW EXECUTE FUNCTION refuse_change();--> statement-breakpoint
CREATE TRIGGER person_code_history_no_truncate BEFORE TRUNCATE ON person_code_history FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();--> statement-breakpoint
-- The door's write, now deciding everything that must be judged at one instant with the events that can
-- change the answer (distributed setups: the function is registered again — docs/scaling.md):
--  * the checker's binding at the effective time, under a shared lock on (venue, checker) that a removal
--    or unbind takes exclusively (db/queries/checker-bindings.ts): a record is either before the removal
--    (stored; flagged checker_unbound when it arrives after the binding ended) or after it (refused);
--  * the code's generation at the effective time, under a shared lock on the person's codes that a re-issue
--    takes exclusively (db/queries/persons.ts): an older code is accepted only for an effective time before
--    it ended (flagged code_reissued), refused after;
--  * the entrance (null: the main one), the venue's township, and the person's gender and age band then;
--  * supersede like with like (records stored from this migration on; history stays as stored): a quick
--    check-in never supersedes a measured one (scan or typed); a measured record supersedes the latest
--    standing measured record in the window before it, else the latest standing quick one (stored late, with
--    no later measurement, that may be a quick check-in after it); a quick record
--    supersedes the latest standing quick one, and arriving when a measured record of the window stands
--    before it, it is stored already superseded by that measurement (the visit is counted once, by what was
--    measured). A record stored late is superseded at once by the first later record that may supersede it.
-- Returns one row: the new id and links and the facts decided here; or `refused` with no id; or no row
-- when the client id is stored already (the caller answers as for a resend).
DROP FUNCTION IF EXISTS checkin_insert(text, uuid, uuid, uuid, uuid, text, smallint, boolean, text, text, timestamptz, integer, timestamptz, timestamptz, boolean, text, timestamptz, timestamptz);--> statement-breakpoint
CREATE FUNCTION checkin_insert(
  p_lock_key text,
  p_venue_id uuid, p_client_id uuid, p_checker_account_id uuid, p_person_id uuid, p_method text,
  p_temperature_deci smallint, p_fever boolean, p_colour text, p_red_reason text,
  p_scanned_at timestamptz, p_clock_offset_ms integer, p_effective_at timestamptz, p_received_at timestamptz,
  p_late boolean, p_payload_hash text, p_before_from timestamptz, p_after_until timestamptz,
  p_entrance_id uuid, p_gender text, p_age_band text, p_code_generation integer
) RETURNS TABLE (id uuid, supersedes_id uuid, superseded_by_id uuid, refused text, entrance_id uuid, code_reissued boolean, checker_unbound boolean)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_after uuid;
  v_before uuid;
  v_id uuid;
  v_entrance uuid;
  v_township text;
  v_unbound timestamptz;
  v_bound boolean := false;
  v_generation integer;
  v_ended timestamptz;
  v_reissued boolean := false;
  v_measured boolean := p_method <> 'quick';
BEGIN
  IF EXISTS (SELECT 1 FROM checkins c WHERE c.venue_id = p_venue_id AND c.client_id = p_client_id) THEN
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock_shared(hashtextextended('checker:' || p_venue_id || ':' || p_checker_account_id, 0));
  SELECT true, b.unbound_at INTO v_bound, v_unbound FROM checker_bindings b
   WHERE b.venue_id = p_venue_id AND b.account_id = p_checker_account_id AND b.bound_from IS NOT NULL
     AND b.bound_from <= p_effective_at AND (b.unbound_at IS NULL OR b.unbound_at > p_effective_at)
   LIMIT 1;
  IF NOT coalesce(v_bound, false) THEN
    refused := 'not_checker';
    RETURN NEXT;
    RETURN;
  END IF;
  IF p_code_generation IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock_shared(hashtextextended('code:' || p_person_id, 0));
    SELECT p.code_generation INTO v_generation FROM persons p WHERE p.id = p_person_id;
    IF v_generation IS DISTINCT FROM p_code_generation THEN
      SELECT h.ended_at INTO v_ended FROM person_code_history h WHERE h.person_id = p_person_id AND h.generation = p_code_generation;
      IF v_ended IS NULL OR p_effective_at >= v_ended THEN
        refused := 'superseded';
        RETURN NEXT;
        RETURN;
      END IF;
      v_reissued := true;
    END IF;
  END IF;
  IF p_entrance_id IS NULL THEN
    SELECT e.id INTO v_entrance FROM venue_entrances e WHERE e.venue_id = p_venue_id AND e.is_main;
  ELSE
    SELECT e.id INTO v_entrance FROM venue_entrances e WHERE e.venue_id = p_venue_id AND e.id = p_entrance_id;
    IF v_entrance IS NULL THEN
      refused := 'unknown_entrance';
      RETURN NEXT;
      RETURN;
    END IF;
  END IF;
  SELECT v.township_code INTO v_township FROM venues v WHERE v.id = p_venue_id;

  PERFORM pg_advisory_xact_lock(hashtextextended(p_lock_key, 0));
  -- One person's records at the venue in the window (a handful, through checkins_person_idx); see 0012.
  IF v_measured THEN
    SELECT (array_agg(c.id ORDER BY c.effective_at))[1] INTO v_after FROM checkins c
     WHERE c.venue_id = p_venue_id AND c.person_id = p_person_id AND c.effective_at > p_effective_at AND c.effective_at <= p_after_until
       AND c.method <> 'quick';
    -- A measured record stored late, with no later measurement to supersede it, also takes the place of a
    -- later standing quick check-in of the window (one visit, counted by what was measured).
    SELECT (array_agg(c.id ORDER BY c.method <> 'quick' DESC, c.effective_at DESC, c.received_at DESC))[1] INTO v_before FROM checkins c
     WHERE c.venue_id = p_venue_id AND c.person_id = p_person_id AND c.effective_at >= p_before_from AND c.effective_at <= p_after_until
       AND (c.effective_at <= p_effective_at OR (v_after IS NULL AND c.method = 'quick'))
       AND c.superseded_by_id IS NULL
       AND (SELECT 1 FROM checkins successor WHERE successor.venue_id = p_venue_id AND successor.supersedes_id = c.id LIMIT 1) IS NULL;
  ELSE
    SELECT coalesce(
             (array_agg(c.id ORDER BY c.effective_at) FILTER (WHERE c.effective_at > p_effective_at))[1],
             (array_agg(c.id ORDER BY c.effective_at DESC, c.received_at DESC) FILTER (WHERE c.effective_at <= p_effective_at AND c.method <> 'quick'))[1])
      INTO v_after FROM checkins c
     WHERE c.venue_id = p_venue_id AND c.person_id = p_person_id AND c.effective_at >= p_before_from AND c.effective_at <= p_after_until;
    IF v_after IS NULL THEN
      SELECT (array_agg(c.id ORDER BY c.effective_at DESC, c.received_at DESC))[1] INTO v_before FROM checkins c
       WHERE c.venue_id = p_venue_id AND c.person_id = p_person_id AND c.effective_at >= p_before_from AND c.effective_at <= p_effective_at
         AND c.method = 'quick' AND c.superseded_by_id IS NULL
         AND (SELECT 1 FROM checkins successor WHERE successor.venue_id = p_venue_id AND successor.supersedes_id = c.id LIMIT 1) IS NULL;
    END IF;
  END IF;
  INSERT INTO checkins AS c (venue_id, client_id, checker_account_id, person_id, method, temperature_deci, fever, colour, red_reason,
                             supersedes_id, superseded_by_id, scanned_at, clock_offset_ms, effective_at, received_at, late, payload_hash,
                             entrance_id, gender, age_band, township_code, code_reissued, checker_unbound)
  VALUES (p_venue_id, p_client_id, p_checker_account_id, p_person_id, p_method, p_temperature_deci, p_fever, p_colour, p_red_reason,
          v_before, v_after, p_scanned_at, p_clock_offset_ms, p_effective_at, p_received_at, p_late, p_payload_hash,
          v_entrance, p_gender, p_age_band, v_township, v_reissued, v_unbound IS NOT NULL)
  ON CONFLICT (venue_id, client_id) DO NOTHING
  RETURNING c.id INTO v_id;
  IF v_id IS NULL THEN
    RETURN;
  END IF;
  INSERT INTO checkin_rollup_queue (venue_id, checkin_id) VALUES (p_venue_id, v_id);
  id := v_id;
  supersedes_id := v_before;
  superseded_by_id := v_after;
  entrance_id := v_entrance;
  code_reissued := v_reissued;
  checker_unbound := v_unbound IS NOT NULL;
  RETURN NEXT;
END
$$;
