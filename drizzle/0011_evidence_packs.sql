-- Evidence packs: one zip per request, written to S3 by the evidence_pack/<id> workflow.
CREATE TABLE "evidence_packs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"requested_by_id" uuid,
	"period_from" timestamp with time zone NOT NULL,
	"period_to" timestamp with time zone NOT NULL,
	"include" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"items_done" integer DEFAULT 0 NOT NULL,
	"items_total" integer,
	"storage_key" text,
	"size_bytes" bigint,
	"sha256" text,
	"error" text,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evidence_packs_status_ck" CHECK ("status" IN ('PENDING', 'RUNNING', 'READY', 'FAILED')),
	CONSTRAINT "evidence_packs_period_ck" CHECK ("period_from" < "period_to")
);--> statement-breakpoint
CREATE INDEX "evidence_packs_ws_idx" ON "evidence_packs" USING btree ("workspace_id","id");
