-- A reading of a reception visit's sealed visitors is recorded with the denouncers' readings
-- (ReceptionService.RevealVisitors; services/petition/petitions_identity.cc): one of the
-- petition code and the register number names what was read.
ALTER TABLE identity_readings ALTER COLUMN petition_code DROP NOT NULL;
ALTER TABLE identity_readings
  ADD COLUMN register_number text REFERENCES reception_visits (register_number);
ALTER TABLE identity_readings ADD CONSTRAINT identity_readings_one_subject
  CHECK ((petition_code IS NULL) <> (register_number IS NULL));
CREATE INDEX identity_readings_by_visit ON identity_readings (register_number, id DESC)
  WHERE register_number IS NOT NULL;
