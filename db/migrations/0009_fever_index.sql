-- The fever list (V5) reads only fevers: a partial index keeps it fast whatever the venue's size.
CREATE INDEX checkins_fever_idx ON checkins (venue_id, effective_at DESC) WHERE fever;
