-- The audit log is append-only in the database itself, and hash-chained per workspace.

-- Canonical text of an entry. jsonb::text is canonical for equal values, and
-- created_at is rendered in UTC with microseconds, so the hash is reproducible.
CREATE OR REPLACE FUNCTION audit_entry_hash(
  p_prev_hash text, p_seq bigint, p_id uuid, p_workspace_id uuid, p_actor_id uuid, p_action_type text,
  p_target_type text, p_target_id text, p_old_value jsonb, p_new_value jsonb, p_description text,
  p_ip_address text, p_user_agent text, p_created_at timestamptz
) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(concat_ws(E'\x1f',
    p_prev_hash, p_seq::text, p_id::text, p_workspace_id::text, coalesce(p_actor_id::text, ''),
    p_action_type, p_target_type, coalesce(p_target_id, ''),
    coalesce(p_old_value::text, ''), coalesce(p_new_value::text, ''), coalesce(p_description, ''),
    coalesce(p_ip_address, ''), coalesce(p_user_agent, ''),
    to_char(p_created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
  ), 'UTF8')), 'hex')
$$;
--> statement-breakpoint
-- Assigns the next gapless seq under the chain head's row lock (held until commit,
-- so a rolled-back transaction leaves no gap) and computes the entry's hash.
CREATE OR REPLACE FUNCTION audit_logs_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_seq bigint;
  v_prev text;
BEGIN
  INSERT INTO audit_chain_heads AS h (workspace_id, seq, hash)
    VALUES (NEW.workspace_id, 0, '')
    ON CONFLICT (workspace_id) DO UPDATE SET seq = h.seq
    RETURNING h.seq, h.hash INTO v_seq, v_prev;
  NEW.seq := v_seq + 1;
  NEW.prev_hash := v_prev;
  NEW.created_at := coalesce(NEW.created_at, now());
  NEW.hash := audit_entry_hash(NEW.prev_hash, NEW.seq, NEW.id, NEW.workspace_id, NEW.actor_id, NEW.action_type,
    NEW.target_type, NEW.target_id, NEW.old_value, NEW.new_value, NEW.description, NEW.ip_address,
    NEW.user_agent, NEW.created_at);
  UPDATE audit_chain_heads SET seq = NEW.seq, hash = NEW.hash WHERE workspace_id = NEW.workspace_id;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_logs_chain BEFORE INSERT ON audit_logs FOR EACH ROW EXECUTE FUNCTION audit_logs_chain();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_logs_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_logs is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_logs_no_update_delete BEFORE UPDATE OR DELETE ON audit_logs
  FOR EACH ROW EXECUTE FUNCTION audit_logs_reject_change();
--> statement-breakpoint
CREATE TRIGGER audit_logs_no_truncate BEFORE TRUNCATE ON audit_logs
  FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_reject_change();
--> statement-breakpoint
-- The chain head moves forward only; rewinding it would hide deleted entries.
CREATE OR REPLACE FUNCTION audit_chain_heads_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW.seq < OLD.seq THEN
    RAISE EXCEPTION 'audit chain heads only move forward' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_chain_heads_forward_only BEFORE UPDATE OR DELETE ON audit_chain_heads
  FOR EACH ROW EXECUTE FUNCTION audit_chain_heads_forward_only();
--> statement-breakpoint
CREATE TRIGGER audit_chain_heads_no_truncate BEFORE TRUNCATE ON audit_chain_heads
  FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_reject_change();
