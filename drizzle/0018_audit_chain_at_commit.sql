-- Audit entries are chained when their transaction commits, not when they are written.
--
-- Chaining takes the workspace's chain head under a row lock held until commit. Taken by the
-- INSERT into audit_logs, that lock was held across the client's round trip to COMMIT, so the
-- transactions of one workspace (say a thousand escalations falling due in the same second)
-- queued on it behind each other's network and scheduling delays. A transaction now writes its
-- entries to audit_pending; at commit a deferred trigger moves them, in the order written, into
-- audit_logs, whose insert trigger chains them as before. The head is then held only for the
-- move and the commit itself, inside the server, and it is still the last lock a transaction
-- takes. Entries are in audit_logs once the transaction has committed, and nowhere otherwise.
CREATE TABLE audit_pending (
  ord bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
  -- The first entry of each statement queues the move (the rest ride along with it).
  lead boolean NOT NULL DEFAULT true,
  id uuid NOT NULL,
  workspace_id uuid NOT NULL,
  actor_id uuid,
  action_type text NOT NULL,
  target_type text NOT NULL,
  target_id text,
  old_value jsonb,
  new_value jsonb,
  description text,
  ip_address text,
  user_agent text,
  created_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX audit_pending_tx_idx ON audit_pending (tx);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_pending_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH moved AS (DELETE FROM audit_pending WHERE tx = pg_current_xact_id() RETURNING *)
  INSERT INTO audit_logs (id, workspace_id, actor_id, action_type, target_type, target_id, old_value,
                          new_value, description, ip_address, user_agent, created_at)
  SELECT id, workspace_id, actor_id, action_type, target_type, target_id, old_value,
         new_value, description, ip_address, user_agent, created_at
    FROM moved ORDER BY ord;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER audit_pending_move AFTER INSERT ON audit_pending
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.lead) EXECUTE FUNCTION audit_pending_move();
