-- checkin_insert (0011) with its look-ups pinned to the person's rows. PL/pgSQL keeps one generic plan per
-- connection. With "ORDER BY effective_at LIMIT 1" the planner walked the venue's time index
-- (venue, effective_at) — in physical order, so it looked cheap — and filtered by person: every record of
-- the venue in the 30-minute window, per insert, growing with the door's own traffic; and "not superseded"
-- scanned every correcting record of the venue (seen with auto_explain, `npm run bench -- --explain 30`).
-- Now each look-up takes all of the person's records in the window (a handful, through
-- checkins_person_idx: nothing else is selective without an order to serve) and picks the first in order
-- itself; "not superseded" is a per-row probe of checkins_successor_uq (a scalar subquery is never turned
-- into a join). Same rows, same answers.
CREATE OR REPLACE FUNCTION checkin_insert(
  p_lock_key text,
  p_venue_id uuid, p_client_id uuid, p_checker_account_id uuid, p_person_id uuid, p_method text,
  p_temperature_deci smallint, p_fever boolean, p_colour text, p_red_reason text,
  p_scanned_at timestamptz, p_clock_offset_ms integer, p_effective_at timestamptz, p_received_at timestamptz,
  p_late boolean, p_payload_hash text, p_before_from timestamptz, p_after_until timestamptz
) RETURNS TABLE (id uuid, supersedes_id uuid, superseded_by_id uuid)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_after uuid;
  v_before uuid;
  v_id uuid;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(p_lock_key, 0));
  SELECT (array_agg(c.id ORDER BY c.effective_at))[1] INTO v_after FROM checkins c
   WHERE c.venue_id = p_venue_id AND c.person_id = p_person_id AND c.effective_at > p_effective_at AND c.effective_at <= p_after_until;
  SELECT (array_agg(c.id ORDER BY c.effective_at DESC, c.received_at DESC))[1] INTO v_before FROM checkins c
   WHERE c.venue_id = p_venue_id AND c.person_id = p_person_id AND c.effective_at >= p_before_from AND c.effective_at <= p_effective_at
     AND c.superseded_by_id IS NULL
     AND (SELECT 1 FROM checkins successor WHERE successor.venue_id = p_venue_id AND successor.supersedes_id = c.id LIMIT 1) IS NULL;
  INSERT INTO checkins AS c (venue_id, client_id, checker_account_id, person_id, method, temperature_deci, fever, colour, red_reason,
                             supersedes_id, superseded_by_id, scanned_at, clock_offset_ms, effective_at, received_at, late, payload_hash)
  VALUES (p_venue_id, p_client_id, p_checker_account_id, p_person_id, p_method, p_temperature_deci, p_fever, p_colour, p_red_reason,
          v_before, v_after, p_scanned_at, p_clock_offset_ms, p_effective_at, p_received_at, p_late, p_payload_hash)
  ON CONFLICT (venue_id, client_id) DO NOTHING
  RETURNING c.id INTO v_id;
  IF v_id IS NULL THEN
    RETURN;
  END IF;
  INSERT INTO checkin_rollup_queue (venue_id, checkin_id) VALUES (p_venue_id, v_id);
  id := v_id;
  supersedes_id := v_before;
  superseded_by_id := v_after;
  RETURN NEXT;
END
$$;
