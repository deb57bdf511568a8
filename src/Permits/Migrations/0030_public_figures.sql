-- Published processing figures (cong khai ket qua giai quyet ho so, /api/public/processing): the resolving event of
-- each dossier (approve or refuse) is found by an index-only scan instead of reading every event.
CREATE INDEX permit_events_resolution ON permit_events (action, number, seq) INCLUDE (at);
