-- Published site figures (/api/public/sites): confirmed (acknowledged) violation alerts of a site by month.
CREATE INDEX site_alerts_confirmed ON site_alerts (site_id, raised_at) WHERE severity = 'violation' AND acknowledged_at IS NOT NULL;
