-- V3: a venue's invite code is printed on posters and never changes, whatever the application does.
CREATE OR REPLACE FUNCTION refuse_invite_code_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.invite_code IS DISTINCT FROM OLD.invite_code THEN
    RAISE EXCEPTION 'venues.invite_code never changes' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER venues_invite_code_fixed BEFORE UPDATE ON venues
  FOR EACH ROW EXECUTE FUNCTION refuse_invite_code_change();
