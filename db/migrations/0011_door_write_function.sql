-- The door's write in one round trip. The same steps as lockPersonAtVenue → recordAfter →
-- standingRecordBefore → insertCheckin (db/queries/checkins.ts), run inside the database: under READ
-- COMMITTED each statement of a volatile PL/pgSQL function takes a new snapshot, so the reads after the
-- per-person lock see every record committed by the previous holder, exactly as the separate statements
-- of a transaction did. Returns the new row's id and links, or no row when the client id was already stored.
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
  SELECT c.id INTO v_after FROM checkins c
   WHERE c.venue_id = p_venue_id AND c.person_id = p_person_id AND c.effective_at > p_effective_at AND c.effective_at <= p_after_until
   ORDER BY c.effective_at LIMIT 1;
  SELECT c.id INTO v_before FROM checkins c
   WHERE c.venue_id = p_venue_id AND c.person_id = p_person_id AND c.effective_at >= p_before_from AND c.effective_at <= p_effective_at
     AND c.superseded_by_id IS NULL
     AND NOT EXISTS (SELECT 1 FROM checkins successor WHERE successor.venue_id = c.venue_id AND successor.supersedes_id = c.id)
   ORDER BY c.effective_at DESC, c.received_at DESC LIMIT 1;
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
