CREATE TABLE "person_documents" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"id_type" text NOT NULL,
	"id_number_masked" text NOT NULL,
	"nationality" varchar(3),
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	"added_by_account_id" uuid
);
--> statement-breakpoint
ALTER TABLE "person_documents" ADD CONSTRAINT "person_documents_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "person_documents_person_idx" ON "person_documents" USING btree ("person_id","added_at");--> statement-breakpoint
-- Every person's first document: the one they registered with (its hash is persons.id_hash).
INSERT INTO person_documents (id_hash, person_id, id_type, id_number_masked, nationality, added_at, added_by_account_id)
  SELECT id_hash, id, id_type, id_number_masked, nationality, created_at, self_account_id FROM persons;--> statement-breakpoint
-- A new person's first document is written with them, whoever inserts the row (the app, the demo seed, a
-- test or bench fixture). No ON CONFLICT: a number that already names someone (a renewed passport's old
-- number) cannot become a second person, even if the app's look-up were bypassed.
CREATE FUNCTION person_first_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO person_documents (id_hash, person_id, id_type, id_number_masked, nationality, added_at, added_by_account_id)
    VALUES (NEW.id_hash, NEW.id, NEW.id_type, NEW.id_number_masked, NEW.nationality, NEW.created_at, NEW.self_account_id);
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER persons_first_document AFTER INSERT ON persons FOR EACH ROW EXECUTE FUNCTION person_first_document();--> statement-breakpoint
-- The key never moves: colours, case contacts and locks are filed under it.
CREATE FUNCTION refuse_person_key_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id_hash IS DISTINCT FROM OLD.id_hash THEN
    RAISE EXCEPTION 'persons.id_hash is the person''s key and never changes' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER persons_key_fixed BEFORE UPDATE OF id_hash ON persons FOR EACH ROW EXECUTE FUNCTION refuse_person_key_change();--> statement-breakpoint
-- A document once added is never changed; it goes only with the person (person_erase, by cascade).
CREATE TRIGGER person_documents_append_only BEFORE UPDATE OR DELETE ON person_documents
  FOR EACH ROW EXECUTE FUNCTION refuse_change_unless_erasing();--> statement-breakpoint
-- person_erase (0019), now also deleting the colours filed under a renewed passport's own hash.
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
  -- Every document of theirs: a colour reported for a renewed passport before it was added stays under its own hash.
  DELETE FROM status_changes WHERE id_hash = v_hash OR id_hash IN (SELECT d.id_hash FROM person_documents d WHERE d.person_id = p_person);
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
