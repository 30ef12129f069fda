-- Which revision of the built-in calendar seed (common/calendar/seed.h, kSeedRevision) wrote a
-- year, NULL once an administrator has set it (SetCalendarYear, ApplyCalendarNotice). At start
-- the dossier service replaces a year whose seed revision is older than its own, so a corrected
-- seed (issue 19: 2026's official swaps, 2027's Hùng Kings' day) reaches databases seeded
-- before it, and an administrator's edit is never overwritten.
ALTER TABLE calendar_years ADD COLUMN seed_revision integer;

-- Revision 1: the years the first seed wrote, recognised by their exact source text and never
-- replaced since (version 1). Anything else is an administrator's data and stays NULL.
UPDATE calendar_years SET seed_revision = 1
 WHERE version = 1 AND (
   (year = 2025 AND data->>'source' =
     'Labour Code 2019 Art. 112; Prime Minister''s decision on 2025 Tết and 30/4–1/5 days as '
     'announced for civil servants (Tết 25/1–2/2; 2/5 off, worked on Saturday 26/4)')
   OR (year = 2026 AND data->>'source' =
     'Labour Code 2019 Art. 112; Prime Minister''s decision on 2026 Tết (14/2–22/2) as announced '
     'for civil servants; Hùng Kings'' day 10/3 lunar = Sunday 26/4 (compensatory Monday 27/4); '
     'second National Day day taken as 1/9')
   OR (year = 2027 AND data->>'source' =
     'PROVISIONAL until the Prime Minister''s decision: Lunar New Year Saturday 6/2/2027, Tết '
     'taken 5/2–9/2 (weekend days compensated 10–11/2); Hùng Kings'' day 10/3 lunar = 15/4; '
     '1/5 on a Saturday (compensated Monday 3/5); National Day 2/9 and 3/9'));
