-- 0003_change_triage: what the change-point analysis stores beside 0001's `change_points`, and
-- the people's decisions about changes in a table of their own (issue 24; docs/change-points.md,
-- "Stored change points" and "Triage").
--
-- `change_points` holds what the detector derives from the runs (a cache of the analysis: any
-- `history changes` recomputes it), so the fleet's ingest role, which records runs, may keep it up
-- to date (ci/postgres/roles.sql grants it UPDATE on this table alone). Its `state` is the
-- analysis's: 'new', 'tentative' (fewer than 3 points after the change) or 'fixed' (a later
-- driver restored the level); 'acknowledged' and 'invalid' are never written there. A change
-- point the analysis no longer finds is kept with found = 0, never deleted.
--
-- `change_triage` holds triage: one decision per row (series) and driver where it moved, which
-- holds for every scope that shows that change (each machine's series and the GPU model's median
-- across machines). Only the owner (or a role granted it) writes it.

ALTER TABLE change_points ADD COLUMN change_key TEXT NOT NULL DEFAULT '';  -- SHA-256 (hex) of the identity, below
ALTER TABLE change_points ADD COLUMN direction TEXT NOT NULL DEFAULT 'regression'
  CHECK (direction IN ('regression', 'improvement'));
ALTER TABLE change_points ADD COLUMN points_before {{INT}} NOT NULL DEFAULT 0;  -- points of the segment before
ALTER TABLE change_points ADD COLUMN points_after {{INT}} NOT NULL DEFAULT 0;   -- and after (under 3: tentative)
ALTER TABLE change_points ADD COLUMN runs_before {{INT}} NOT NULL DEFAULT 0;    -- runs behind those points
ALTER TABLE change_points ADD COLUMN runs_after {{INT}} NOT NULL DEFAULT 0;     -- (a machine's: one per point)
ALTER TABLE change_points ADD COLUMN machines {{INT}} NOT NULL DEFAULT 1;       -- machines behind the points
ALTER TABLE change_points ADD COLUMN found {{INT}} NOT NULL DEFAULT 1 CHECK (found IN (0, 1));
ALTER TABLE change_points ADD COLUMN restored_by_driver_id {{INT}} REFERENCES drivers (id);  -- state fixed: where

-- Identity of a change point: (series, scope, driver where the row moved). The key is the SHA-256
-- of "wslcuda change point 1\n" workload_id "\n" metric "\n" gpu_model "\n" platform "\n"
-- (machine_key or "*") "\n" driver version "\n" CUDA driver API level: the same change has the
-- same key in every store (a machine's and the fleet's).
CREATE UNIQUE INDEX change_points_per_machine ON change_points (series_id, machine_id, driver_after_id)
  WHERE machine_id IS NOT NULL;
CREATE UNIQUE INDEX change_points_per_model ON change_points (series_id, driver_after_id)
  WHERE machine_id IS NULL;
CREATE INDEX change_points_by_key ON change_points (change_key);

-- Triage: what people decided about the change of a row at a driver.
CREATE TABLE change_triage (
  id {{ID}},
  series_id {{INT}} NOT NULL REFERENCES series (id),
  driver_id {{INT}} NOT NULL REFERENCES drivers (id),  -- the driver where the row moved
  state TEXT NOT NULL CHECK (state IN ('new', 'acknowledged', 'invalid', 'fixed')),  -- 'new': undone
  note TEXT NOT NULL DEFAULT '',                       -- why (required for 'invalid')
  change_key TEXT NOT NULL,                            -- the change point named in the command
  triaged_at TEXT NOT NULL,                            -- UTC ISO 8601
  UNIQUE (series_id, driver_id)
){{STRICT}};
