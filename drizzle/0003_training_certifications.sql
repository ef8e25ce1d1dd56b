CREATE TABLE IF NOT EXISTS "mandatory_trainings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"applies_to_type" text DEFAULT 'ALL' NOT NULL,
	"applies_to_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"due_days_after_assignment" integer,
	"recurring_months" integer,
	"fixed_due_date" timestamp with time zone,
	"learning_path_id" uuid,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "mandatory_trainings_ws_idx" ON "mandatory_trainings" USING btree ("workspace_id","is_active");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "training_assignments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"mandatory_training_id" uuid NOT NULL,
	"developer_id" uuid NOT NULL,
	"cycle" integer DEFAULT 0 NOT NULL,
	"due_date" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"progress_percentage" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"acknowledged_at" timestamp with time zone,
	"waived_by_id" uuid,
	"waived_at" timestamp with time zone,
	"waiver_reason" text,
	"reminder_sent_at" timestamp with time zone,
	"ladder" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"current_escalation_level" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "training_assignments_cycle_uq" ON "training_assignments" USING btree ("mandatory_training_id","developer_id","cycle");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "training_assignments_ws_status_idx" ON "training_assignments" USING btree ("workspace_id","status");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "training_assignments_dev_idx" ON "training_assignments" USING btree ("developer_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"type" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"dedupe_day" date DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "events_type_entity_day_uq" ON "events" USING btree ("type","entity_id","dedupe_day");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "events_ws_idx" ON "events" USING btree ("workspace_id","created_at");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "certifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"issuing_authority" text,
	"description" text,
	"validity_months" integer,
	"renewal_required" boolean DEFAULT false NOT NULL,
	"category" text,
	"skill_tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"prerequisites" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"is_required" boolean DEFAULT false NOT NULL,
	"external_url" text,
	"logo_url" text,
	"expiring_soon_offset" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "certifications_ws_idx" ON "certifications" USING btree ("workspace_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "developer_certifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"developer_id" uuid NOT NULL,
	"certification_id" uuid NOT NULL,
	"issued_date" timestamp with time zone NOT NULL,
	"expiry_date" timestamp with time zone,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"credential_id" text,
	"verification_url" text,
	"certificate_url" text,
	"verified_at" timestamp with time zone,
	"verified_by_id" uuid,
	"score" double precision,
	"renewal_reminder_sent_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoke_reason" text,
	"ladder" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"current_escalation_level" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "developer_certifications_ws_status_idx" ON "developer_certifications" USING btree ("workspace_id","status");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "developer_certifications_dev_idx" ON "developer_certifications" USING btree ("developer_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "developer_certifications_cert_idx" ON "developer_certifications" USING btree ("certification_id");
