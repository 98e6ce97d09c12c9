-- Colour history is evidence of what the health authority said and when: corrections are new rows.
CREATE TRIGGER status_changes_append_only BEFORE UPDATE OR DELETE ON status_changes
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER status_changes_no_truncate BEFORE TRUNCATE ON status_changes
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
