-- The chain head is written once per statement, not once per entry. Rewriting the same
-- head row for every entry of a bulk insert left one row version per entry in the
-- transaction, and each next entry walked them all: 10,000 entries took seconds.
--
-- Each entry still takes the next gapless seq under the head's row lock (held until
-- commit). Entries already inserted by the same statement are visible to this row
-- trigger, so the latest one past the head is the previous link.
CREATE OR REPLACE FUNCTION audit_logs_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_head_seq bigint;
  v_head_hash text;
  v_seq bigint;
  v_prev text;
BEGIN
  SELECT seq, hash INTO v_head_seq, v_head_hash FROM audit_chain_heads
    WHERE workspace_id = NEW.workspace_id FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO audit_chain_heads (workspace_id, seq, hash) VALUES (NEW.workspace_id, 0, '')
      ON CONFLICT (workspace_id) DO NOTHING;
    SELECT seq, hash INTO v_head_seq, v_head_hash FROM audit_chain_heads
      WHERE workspace_id = NEW.workspace_id FOR UPDATE;
  END IF;
  SELECT seq, hash INTO v_seq, v_prev FROM audit_logs
    WHERE workspace_id = NEW.workspace_id AND seq > v_head_seq
    ORDER BY seq DESC LIMIT 1;
  IF NOT FOUND THEN
    v_seq := v_head_seq;
    v_prev := v_head_hash;
  END IF;
  NEW.seq := v_seq + 1;
  NEW.prev_hash := v_prev;
  NEW.created_at := coalesce(NEW.created_at, now());
  NEW.hash := audit_entry_hash(NEW.prev_hash, NEW.seq, NEW.id, NEW.workspace_id, NEW.actor_id, NEW.action_type,
    NEW.target_type, NEW.target_id, NEW.old_value, NEW.new_value, NEW.description, NEW.ip_address,
    NEW.user_agent, NEW.created_at);
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- Moves each workspace's head to the last entry the statement inserted.
CREATE OR REPLACE FUNCTION audit_logs_advance_heads() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE audit_chain_heads h SET seq = last.seq, hash = last.hash
    FROM (
      SELECT DISTINCT ON (workspace_id) workspace_id, seq, hash FROM inserted
      ORDER BY workspace_id, seq DESC
    ) last
    WHERE h.workspace_id = last.workspace_id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_logs_advance_heads AFTER INSERT ON audit_logs
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_advance_heads();
