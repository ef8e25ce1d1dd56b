-- Delivery: a row is SENDING (with the time it was claimed) while its provider call is in flight,
-- so a crash between the send and its commit is visible; `interrupted` counts sends found in flight
-- after a crash and sent again (the only source of duplicates).
ALTER TABLE "notifications" ADD COLUMN "sending_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "interrupted" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Secrets a message carries (a one-time acknowledgement link's token): kept only for the delivery,
-- substituted into the text as it is sent, and wiped when the row leaves PENDING/SENDING.
ALTER TABLE "notifications" ADD COLUMN "secrets" jsonb;--> statement-breakpoint
CREATE INDEX "notifications_due_idx" ON "notifications" USING btree ("deliver_after") WHERE "status" = 'PENDING';--> statement-breakpoint
CREATE INDEX "notifications_sending_idx" ON "notifications" USING btree ("sending_at") WHERE "status" = 'SENDING';--> statement-breakpoint
-- Workflow-command outbox: a start or signal that a committed change needs, written in that
-- change's transaction and relayed to Temporal after commit (again after any failure).
CREATE TABLE "workflow_commands" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"obligation_id" uuid NOT NULL,
	"owner_id" uuid,
	"action" text NOT NULL,
	"task_queue" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"available_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE INDEX "workflow_commands_available_idx" ON "workflow_commands" USING btree ("available_at");--> statement-breakpoint
-- Idempotency-Key records: one per (workspace, caller, key), replayed for 24 h.
CREATE TABLE "idempotency_keys" (
	"workspace_id" uuid NOT NULL,
	"caller" text NOT NULL,
	"key" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" text DEFAULT 'IN_PROGRESS' NOT NULL,
	"response_status" integer,
	"response_body" text,
	"locked_until" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_pk" PRIMARY KEY ("workspace_id","caller","key")
);--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys" USING btree ("created_at");
--> statement-breakpoint
-- Every committed change to an obligation row queues its workflow command in the same
-- transaction: an INSERT starts the obligation's workflow, an UPDATE signals it. The
-- engine's own steps and the set-based safety-net sweeps set vigil.workflow_commands = 'off'
-- for their transaction (the workflow re-reads state on its own timers). The task queue is
-- the session's vigil.task_queue, which every Vigil pool sets on connect.
CREATE FUNCTION vigil_queue_workflow_commands() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	kind text := TG_ARGV[0];
	id_column text := TG_ARGV[1];
	action text := CASE WHEN TG_OP = 'INSERT' AND TG_NARGS < 3 THEN 'START' ELSE 'SIGNAL' END;
BEGIN
	IF coalesce(current_setting('vigil.workflow_commands', true), '') = 'off' THEN
		RETURN NULL;
	END IF;
	EXECUTE format(
		'INSERT INTO workflow_commands (id, workspace_id, kind, obligation_id, action, task_queue)
		 SELECT DISTINCT ON (%1$s) gen_random_uuid(), workspace_id, %2$s, %1$s, %3$L, %4$L
		   FROM changed WHERE %1$s IS NOT NULL',
		id_column,
		CASE WHEN kind = '*' THEN 'kind' ELSE quote_literal(kind) END,
		action,
		coalesce(nullif(current_setting('vigil.task_queue', true), ''), 'vigil'));
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER training_assignments_start AFTER INSERT ON training_assignments
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
	EXECUTE FUNCTION vigil_queue_workflow_commands('training_assignment', 'id');--> statement-breakpoint
CREATE TRIGGER training_assignments_signal AFTER UPDATE ON training_assignments
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
	EXECUTE FUNCTION vigil_queue_workflow_commands('training_assignment', 'id');--> statement-breakpoint
CREATE TRIGGER developer_certifications_start AFTER INSERT ON developer_certifications
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
	EXECUTE FUNCTION vigil_queue_workflow_commands('member_certification', 'id');--> statement-breakpoint
CREATE TRIGGER developer_certifications_signal AFTER UPDATE ON developer_certifications
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
	EXECUTE FUNCTION vigil_queue_workflow_commands('member_certification', 'id');--> statement-breakpoint
CREATE TRIGGER reminder_instances_start AFTER INSERT ON reminder_instances
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
	EXECUTE FUNCTION vigil_queue_workflow_commands('reminder_instance', 'id');--> statement-breakpoint
CREATE TRIGGER reminder_instances_signal AFTER UPDATE ON reminder_instances
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
	EXECUTE FUNCTION vigil_queue_workflow_commands('reminder_instance', 'id');--> statement-breakpoint
CREATE TRIGGER tickets_start AFTER INSERT ON tickets
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
	EXECUTE FUNCTION vigil_queue_workflow_commands('ticket', 'id');--> statement-breakpoint
CREATE TRIGGER tickets_signal AFTER UPDATE ON tickets
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
	EXECUTE FUNCTION vigil_queue_workflow_commands('ticket', 'id');--> statement-breakpoint
CREATE TRIGGER acknowledgement_obligations_start AFTER INSERT ON acknowledgement_obligations
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
	EXECUTE FUNCTION vigil_queue_workflow_commands('acknowledgement_request', 'id');--> statement-breakpoint
CREATE TRIGGER acknowledgement_obligations_signal AFTER UPDATE ON acknowledgement_obligations
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
	EXECUTE FUNCTION vigil_queue_workflow_commands('acknowledgement_request', 'id');--> statement-breakpoint
-- A policy added to, or acknowledged in, a member's request changes its obligation.
CREATE TRIGGER acknowledgement_requests_insert_signal AFTER INSERT ON acknowledgement_requests
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
	EXECUTE FUNCTION vigil_queue_workflow_commands('acknowledgement_request', 'obligation_id', 'signal');--> statement-breakpoint
CREATE TRIGGER acknowledgement_requests_signal AFTER UPDATE ON acknowledgement_requests
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
	EXECUTE FUNCTION vigil_queue_workflow_commands('acknowledgement_request', 'obligation_id');--> statement-breakpoint
-- An acknowledged escalation stops the climb of its obligation.
CREATE TRIGGER escalations_signal AFTER UPDATE ON escalations
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
	EXECUTE FUNCTION vigil_queue_workflow_commands('*', 'obligation_id');
