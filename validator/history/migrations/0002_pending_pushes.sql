-- 0002_pending_pushes: runs a local store holds for another store it could not reach
-- (history/push.hpp: `run --history postgresql://…` falling back to the local SQLite store).
-- `wslcuda history push` removes a run's mark once the server has the run. Only local stores
-- fill it; on a fleet's server it stays empty.
CREATE TABLE pending_pushes (
  run_id {{INT}} PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
  target TEXT NOT NULL,                      -- the store meant, described (password hidden)
  reason TEXT NOT NULL,                      -- why it could not be written (the store error)
  since TEXT NOT NULL                        -- UTC ISO 8601
){{STRICT}};
