-- Events, durably: one row per change, written in the change's transaction (events/rules.ts),
-- told apart by dedupe_key within a (type, subject, day), consumed once by the automations and
-- webhook dispatcher (dispatched_at).
CREATE OR REPLACE FUNCTION vigil_uuid_v7() RETURNS uuid AS $$
  -- RFC 9562 UUIDv7: 48-bit Unix milliseconds, then random bits with the version and variant set.
  SELECT encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid())
        PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
        FROM 1 FOR 6),
      52, 1), 53, 1),
    'hex')::uuid;
$$ LANGUAGE sql VOLATILE;
--> statement-breakpoint
ALTER TABLE "events" ALTER COLUMN "id" SET DEFAULT vigil_uuid_v7();
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN IF NOT EXISTS "dedupe_key" text DEFAULT '' NOT NULL;
--> statement-breakpoint
-- Events written before the dispatcher existed are not replayed into new automations.
ALTER TABLE "events" ADD COLUMN IF NOT EXISTS "dispatched_at" timestamp with time zone;
--> statement-breakpoint
UPDATE "events" SET "dispatched_at" = "created_at";
--> statement-breakpoint
DROP INDEX IF EXISTS "events_type_entity_day_uq";
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "events_type_entity_day_key_uq" ON "events" USING btree ("type","entity_id","dedupe_day","dedupe_key");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "events_ws_type_id_idx" ON "events" USING btree ("workspace_id","type","id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "events_undispatched_idx" ON "events" USING btree ("id") WHERE "dispatched_at" IS NULL;
--> statement-breakpoint
-- check-bulk-compliance: each workspace's status, since when, and its thresholds in settings.
CREATE TABLE IF NOT EXISTS "workspace_compliance" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"counts" jsonb NOT NULL,
	"checked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "workspace_compliance_status_ck" CHECK ("status" IN ('COMPLIANT', 'AT_RISK', 'NON_COMPLIANT'))
);
--> statement-breakpoint
ALTER TABLE "workspace_settings" ADD COLUMN IF NOT EXISTS "compliance_thresholds" jsonb;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "webhook_endpoints" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL REFERENCES "workspaces"("id"),
	"url" text NOT NULL,
	"description" text,
	"event_types" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"secret" text NOT NULL,
	"previous_secret" text,
	"previous_secret_expires_at" timestamp with time zone,
	"failing_since" timestamp with time zone,
	"disabled_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "webhook_endpoints_ws_idx" ON "webhook_endpoints" USING btree ("workspace_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "webhook_deliveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"endpoint_id" uuid NOT NULL REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE,
	"event_id" uuid NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"last_status_code" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_status_ck" CHECK ("status" IN ('PENDING', 'SENDING', 'SUCCEEDED', 'FAILED'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "webhook_deliveries_endpoint_event_uq" ON "webhook_deliveries" USING btree ("endpoint_id","event_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "webhook_deliveries_endpoint_idx" ON "webhook_deliveries" USING btree ("workspace_id","endpoint_id","id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE "status" IN ('PENDING', 'SENDING');
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "webhook_attempts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"delivery_id" uuid NOT NULL REFERENCES "webhook_deliveries"("id") ON DELETE CASCADE,
	"attempt" integer NOT NULL,
	"status_code" integer,
	"error" text,
	"latency_ms" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "webhook_attempts_delivery_idx" ON "webhook_attempts" USING btree ("delivery_id","attempt");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "automations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL REFERENCES "workspaces"("id"),
	"name" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"event_type" text NOT NULL,
	"conditions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"actions" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "automations_ws_type_idx" ON "automations" USING btree ("workspace_id","event_type");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "automation_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"automation_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"replay" integer DEFAULT 0 NOT NULL,
	"status" text NOT NULL,
	"results" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "automation_runs_key_uq" ON "automation_runs" USING btree ("automation_id","event_id","replay");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "automation_runs_automation_idx" ON "automation_runs" USING btree ("workspace_id","automation_id","id");
