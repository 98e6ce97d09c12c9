-- The rollup queue is a conveyor belt: rows live about a second. Vacuum it by row count, not by table
-- share, so dead index entries never pile up under the dashboard's "still queued" reads.
ALTER TABLE checkin_rollup_queue SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000, autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 1000);
