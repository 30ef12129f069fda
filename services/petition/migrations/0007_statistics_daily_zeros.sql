-- The per-day statistics counts (0005) keep only combinations some petition has: an update or a
-- deletion that empties a combination removes its row, so a report reads no zero rows (a bulk
-- deletion of a million petitions left 88,000 of them).
CREATE OR REPLACE FUNCTION petition_statistics_count() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  cols constant text := 'agency, received_at, channel, kind, field, state, decision,'
                        ' not_processed_reason, outcome, on_time, duplicate_of';
  changed text;
BEGIN
  changed := CASE TG_OP
    WHEN 'INSERT' THEN format('SELECT %s, 1 AS delta FROM petition_statistics_new', cols)
    WHEN 'DELETE' THEN format('SELECT %s, -1 AS delta FROM petition_statistics_gone', cols)
    ELSE format('SELECT %s, 1 AS delta FROM petition_statistics_new UNION ALL'
                ' SELECT %s, -1 AS delta FROM petition_statistics_gone', cols, cols)
  END;
  EXECUTE format($q$
    INSERT INTO petition_statistics_daily AS s
    SELECT agency, (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, channel, kind, field,
           state, decision, not_processed_reason, outcome,
           CASE WHEN on_time IS NULL THEN -1 WHEN on_time THEN 1 ELSE 0 END,
           duplicate_of <> '', sum(delta)
    FROM (%s) AS changed
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    HAVING sum(delta) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    ON CONFLICT (agency, day, channel, kind, field, state, decision, not_processed_reason,
                 outcome, on_time, duplicate)
    DO UPDATE SET petitions = s.petitions + EXCLUDED.petitions$q$, changed);
  -- A combination no petition has any more is removed, so that the table holds only counts
  -- (an insert never empties one).
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM petition_statistics_daily d
    USING (SELECT DISTINCT agency, (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day
           FROM petition_statistics_gone) AS g
    WHERE d.agency = g.agency AND d.day = g.day AND d.petitions = 0;
  END IF;
  RETURN NULL;
END
$fn$;

DELETE FROM petition_statistics_daily WHERE petitions = 0;
