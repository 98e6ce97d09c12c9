ALTER TABLE "audit_log" ADD COLUMN "venue_id" uuid;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "reason" text;--> statement-breakpoint
CREATE INDEX "audit_log_venue_idx" ON "audit_log" USING btree ("venue_id","at");--> statement-breakpoint
-- Rows written before these columns existed: fill them once from what they recorded (the migration runs
-- as the table's owner; the append-only trigger is off only inside this migration's transaction).
ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
--> statement-breakpoint
UPDATE audit_log SET
  venue_id = CASE
    WHEN target_type = 'venue' AND target_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN target_id::uuid
    WHEN details->>'venueId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN (details->>'venueId')::uuid
  END,
  reason = NULLIF(details->>'reason', '')
WHERE venue_id IS NULL AND reason IS NULL;
--> statement-breakpoint
ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
