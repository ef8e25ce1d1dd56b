-- A reminder definition created, changed (its updated_at moves) or deleted queues a SIGNAL
-- for its planner workflow (signal-with-start, reminder/<id>) in the same transaction, like
-- the obligation tables in 0009. The planner's own bookkeeping (next_occurrence, set without
-- touching updated_at while it materializes an instance) queues nothing.
CREATE FUNCTION vigil_queue_reminder_command() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	r reminders%ROWTYPE := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
BEGIN
	IF coalesce(current_setting('vigil.workflow_commands', true), '') = 'off' THEN
		RETURN NULL;
	END IF;
	INSERT INTO workflow_commands (id, workspace_id, kind, obligation_id, action, task_queue)
	VALUES (gen_random_uuid(), r.workspace_id, 'reminder', r.id, 'SIGNAL',
		coalesce(nullif(current_setting('vigil.task_queue', true), ''), 'vigil'));
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER reminders_command_insert AFTER INSERT ON reminders
	FOR EACH ROW EXECUTE FUNCTION vigil_queue_reminder_command();--> statement-breakpoint
CREATE TRIGGER reminders_command_update AFTER UPDATE ON reminders
	FOR EACH ROW WHEN (OLD.updated_at IS DISTINCT FROM NEW.updated_at OR OLD.status IS DISTINCT FROM NEW.status)
	EXECUTE FUNCTION vigil_queue_reminder_command();--> statement-breakpoint
CREATE TRIGGER reminders_command_delete AFTER DELETE ON reminders
	FOR EACH ROW EXECUTE FUNCTION vigil_queue_reminder_command();
