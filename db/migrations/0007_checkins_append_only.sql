-- V12: temperature records are never edited or deleted, whatever the application does.
CREATE TRIGGER checkins_append_only BEFORE UPDATE OR DELETE ON checkins
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER checkins_no_truncate BEFORE TRUNCATE ON checkins
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
