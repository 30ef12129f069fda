-- The officers' one-stop records for a year (ListOfficerRecords): an agency's staff events in a
-- period, found without reading every event of the service.
CREATE INDEX dossier_events_by_agency_at ON dossier_events (agency, at);
