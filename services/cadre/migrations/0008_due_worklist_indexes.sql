-- Issue 23 (item 9): what the due worklist reads, from indexes. The rank records — a person's salary
-- steps up to a day, by person and day — answered from the index alone (an index-only scan),
-- not by visiting each row in the heap: a person's rank rows lie far apart in the table, so a
-- worklist of 5,000 people cost some 18,000 random heap reads.
CREATE INDEX cadre_history_rank_now ON cadre_history (person_id, valid_from)
  INCLUDE (rank, step, coefficient_x100) WHERE kind = 2 AND recorded_until IS NULL;

-- The posts in force of a list of units, by unit code (bytewise, as page tokens compare) and
-- person, with what the worklist shows of them: a page of the agency-wide worklist reads the
-- index from its token onwards and stops when the page is full.
CREATE INDEX cadre_history_unit_person_now ON cadre_history (unit_code COLLATE "C", person_id)
  INCLUDE (valid_from, valid_until, position_code, term_end, movement)
  WHERE kind = 1 AND recorded_until IS NULL;

-- The current evaluations with what the worklist reads of them (the year, the day, the level,
-- an early raise), so that a chunk of 5,000 people reads them from the index rather than the
-- whole table: the unique index of 0004 again, covering.
CREATE UNIQUE INDEX cadre_evaluations_current_covering ON cadre_evaluations (person_id, year)
  INCLUDE (evaluated_on, level, early_raise_months) WHERE recorded_until IS NULL;
DROP INDEX cadre_evaluations_current;
ALTER INDEX cadre_evaluations_current_covering RENAME TO cadre_evaluations_current;
