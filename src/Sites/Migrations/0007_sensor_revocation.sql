-- Sensor revocation (thu hồi cảm biến): a revoked sensor keeps its row and history, but its credentials are refused
-- and its readings dropped from then on. Null while the sensor is in service.

ALTER TABLE site_sensors ADD COLUMN revoked_at timestamptz;
