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
