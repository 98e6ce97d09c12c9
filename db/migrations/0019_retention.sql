CREATE TABLE "erased_person_links" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"erased_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "venue_visitor_days" ADD COLUMN "fevers" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "venue_visitor_days" ADD COLUMN "anonymous" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "auth_sessions_expires_idx" ON "auth_sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "auth_sessions_revoked_idx" ON "auth_sessions" USING btree ("revoked_at") WHERE "auth_sessions"."revoked_at" is not null;--> statement-breakpoint
CREATE INDEX "sign_in_codes_created_idx" ON "sign_in_codes" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "code_displays_displayed_idx" ON "code_displays" USING btree ("displayed_at");--> statement-breakpoint
CREATE INDEX "checkins_linked_time_idx" ON "checkins" USING btree ("effective_at") WHERE "checkins"."person_id" is not null;--> statement-breakpoint
CREATE INDEX "venue_visitor_days_linked_day_idx" ON "venue_visitor_days" USING btree ("day") WHERE not "venue_visitor_days"."anonymous";--> statement-breakpoint
CREATE INDEX "venue_visitor_days_person_idx" ON "venue_visitor_days" USING btree ("person_id") WHERE not "venue_visitor_days"."anonymous";--> statement-breakpoint
CREATE INDEX "venue_visitor_days_fever_idx" ON "venue_visitor_days" USING btree ("venue_id","day") WHERE "venue_visitor_days"."fevers" > 0;--> statement-breakpoint
CREATE INDEX "notices_created_idx" ON "notices" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "alert_messages_created_idx" ON "alert_messages" USING btree ("created_at");--> statement-breakpoint
-- 发热人数 now reads venue_visitor_days.fevers (it must survive the cut of the person link, SPEC L4). Filled
-- for the rows as the drain left them: records still queued, and the removals their drain will apply, are
-- not counted yet (the drain adds them).
UPDATE venue_visitor_days v SET fevers = x.n FROM (
  SELECT c.venue_id, (c.effective_at AT TIME ZONE 'Asia/Shanghai')::date AS day, c.person_id, count(*)::int AS n
    FROM checkins c
   WHERE c.fever AND c.superseded_by_id IS NULL AND c.person_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM checkin_rollup_queue q WHERE q.venue_id = c.venue_id AND q.checkin_id = c.id)
     AND NOT EXISTS (SELECT 1 FROM checkins s WHERE s.venue_id = c.venue_id AND s.supersedes_id = c.id
                       AND NOT EXISTS (SELECT 1 FROM checkin_rollup_queue q WHERE q.venue_id = s.venue_id AND q.checkin_id = s.id))
   GROUP BY 1, 2, 3) x
 WHERE v.venue_id = x.venue_id AND v.day = x.day AND v.person_id = x.person_id;--> statement-breakpoint
-- The hook for tracing (SPEC L4, issue #20): true while an open case holds the person's record. Nothing
-- holds records yet; #20 replaces this body (CREATE OR REPLACE, same signature). An inlined SQL function:
-- the planner folds `NOT false` away, so the cut pays nothing for it until then.
CREATE FUNCTION checkin_held_by_case(p_venue_id uuid, p_person_id uuid, p_effective_at timestamptz) RETURNS boolean
  LANGUAGE sql STABLE AS $$ SELECT false $$;--> statement-breakpoint
-- The retention cut (SPEC L4): one bounded batch of each of
--  1. check-ins older than the cutoff lose their person (records held by an open case are skipped);
--  2. visitor-days of whole China days before the cutoff day get a random id instead of the person (the
--     row still counts: visitors, 发热人数, demographics are unchanged);
--  3. persons erased while records of theirs were still queued for the rollups (erased_person_links):
--     once drained, their remaining links are cut the same way.
-- The cutoff is computed here, never below 15 days (14 days of lateness plus the supersede window: every
-- record that can still arrive, and the one it may supersede, is younger), and moved back before the
-- oldest record still queued, so the drain always finds the person of what it counts. Owner's function
-- (SECURITY DEFINER, pinned search_path); the app may only call it. Returns the rows changed (0: done).
CREATE FUNCTION checkins_cut_person_links(p_days integer, p_batch integer) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_batch integer := least(greatest(coalesce(p_batch, 1), 1), 50000);
  v_cutoff timestamptz := now() - make_interval(days => greatest(coalesce(p_days, 15), 15));
  v_queued timestamptz;
  v_day date;
  v_person uuid;
  v_n integer;
  v_total integer := 0;
BEGIN
  SELECT min(c.effective_at) - interval '1 hour' INTO v_queued
    FROM checkin_rollup_queue q JOIN checkins c ON c.venue_id = q.venue_id AND c.id = q.checkin_id;
  IF v_queued < v_cutoff THEN
    v_cutoff := v_queued;
  END IF;
  v_day := (v_cutoff AT TIME ZONE 'Asia/Shanghai')::date;
  PERFORM set_config('venues.cut_person_link', 'on', true);

  WITH pick AS (
    SELECT c.venue_id, c.id FROM checkins c
     WHERE c.person_id IS NOT NULL AND c.effective_at < v_cutoff
       AND NOT checkin_held_by_case(c.venue_id, c.person_id, c.effective_at)
     ORDER BY c.effective_at LIMIT v_batch
  )
  UPDATE checkins c SET person_id = NULL FROM pick WHERE c.venue_id = pick.venue_id AND c.id = pick.id;
  GET DIAGNOSTICS v_n = ROW_COUNT;
  v_total := v_total + v_n;

  WITH pick AS (
    SELECT v.venue_id, v.day, v.person_id FROM venue_visitor_days v
     WHERE NOT v.anonymous AND v.day < v_day ORDER BY v.day LIMIT v_batch
  )
  UPDATE venue_visitor_days v SET person_id = gen_random_uuid(), anonymous = true
    FROM pick WHERE v.venue_id = pick.venue_id AND v.day = pick.day AND v.person_id = pick.person_id;
  GET DIAGNOSTICS v_n = ROW_COUNT;
  v_total := v_total + v_n;

  FOR v_person IN
    SELECT e.person_id FROM erased_person_links e
     WHERE NOT EXISTS (SELECT 1 FROM checkin_rollup_queue q JOIN checkins c ON c.venue_id = q.venue_id AND c.id = q.checkin_id
                        WHERE c.person_id = e.person_id)
     ORDER BY e.erased_at LIMIT 100
  LOOP
    UPDATE checkins SET person_id = NULL WHERE person_id = v_person;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    UPDATE venue_visitor_days SET person_id = gen_random_uuid(), anonymous = true WHERE person_id = v_person AND NOT anonymous;
    DELETE FROM erased_person_links WHERE person_id = v_person;
    v_total := v_total + 1;
  END LOOP;

  PERFORM set_config('venues.cut_person_link', 'off', true);
  RETURN v_total;
END;
$$;--> statement-breakpoint
-- person_erase (0018), now also taking the person out of the visitor-day rollups (a random id instead,
-- the counts stay). Records of theirs still queued for the rollups keep the link until the drain has
-- counted them (it counts visitor-days by person): the person is then left in erased_person_links, and
-- the retention function finishes the cut. Same signature: the app's call does not change.
CREATE OR REPLACE FUNCTION person_erase(p_person uuid) RETURNS integer LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp AS $$
DECLARE
  v_hash text;
  v_self uuid;
  v_cut integer;
  v_queued boolean;
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
  v_queued := EXISTS (SELECT 1 FROM checkin_rollup_queue q JOIN checkins c ON c.venue_id = q.venue_id AND c.id = q.checkin_id
                       WHERE c.person_id = p_person);
  IF v_queued THEN
    INSERT INTO erased_person_links (person_id) VALUES (p_person) ON CONFLICT DO NOTHING;
    UPDATE checkins c SET person_id = NULL WHERE c.person_id = p_person
       AND NOT EXISTS (SELECT 1 FROM checkin_rollup_queue q JOIN checkins s ON s.venue_id = q.venue_id AND s.id = q.checkin_id
                        WHERE s.venue_id = c.venue_id AND (s.id = c.id OR s.supersedes_id = c.id));
  ELSE
    UPDATE checkins SET person_id = NULL WHERE person_id = p_person;
  END IF;
  GET DIAGNOSTICS v_cut = ROW_COUNT;
  IF NOT v_queued THEN
    UPDATE venue_visitor_days SET person_id = gen_random_uuid(), anonymous = true WHERE person_id = p_person AND NOT anonymous;
  END IF;
  DELETE FROM persons WHERE id = p_person;
  PERFORM set_config('venues.erasing', 'off', true);
  PERFORM set_config('venues.cut_person_link', 'off', true);
  RETURN v_cut;
END;
$$;
