CREATE TABLE "policy_templates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "policy_templates_key_uq" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "policy_template_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"template_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"content" text NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"content_sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "policy_template_versions_tpl_version_uq" ON "policy_template_versions" USING btree ("template_id","version");
--> statement-breakpoint
CREATE UNIQUE INDEX "policy_template_versions_tpl_sha_uq" ON "policy_template_versions" USING btree ("template_id","content_sha256");
--> statement-breakpoint
CREATE TABLE "policies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"template_id" uuid,
	"applies_to_all" boolean DEFAULT false NOT NULL,
	"active_version_id" uuid,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "policies_ws_idx" ON "policies" USING btree ("workspace_id");
--> statement-breakpoint
CREATE TABLE "policy_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"policy_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"content" text NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"content_sha256" text NOT NULL,
	"change_summary" text,
	"created_by_id" uuid,
	"status" text DEFAULT 'DRAFT' NOT NULL,
	"template_version_id" uuid,
	"submitted_at" timestamp with time zone,
	"approval_reminder_at" timestamp with time zone,
	"decided_by_id" uuid,
	"decided_at" timestamp with time zone,
	"rejection_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "policy_versions_policy_number_uq" ON "policy_versions" USING btree ("policy_id","number");
--> statement-breakpoint
CREATE INDEX "policy_versions_ws_status_idx" ON "policy_versions" USING btree ("workspace_id","status");
--> statement-breakpoint
CREATE TABLE "role_policies" (
	"workspace_id" uuid NOT NULL,
	"role_id" uuid NOT NULL,
	"policy_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "role_policies_role_id_policy_id_pk" PRIMARY KEY("role_id","policy_id")
);
--> statement-breakpoint
CREATE INDEX "role_policies_ws_policy_idx" ON "role_policies" USING btree ("workspace_id","policy_id");
--> statement-breakpoint
CREATE TABLE "acknowledgement_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"type" text NOT NULL,
	"triggered_by_id" uuid,
	"triggered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"scope" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"period_key" text
);
--> statement-breakpoint
CREATE INDEX "acknowledgement_events_ws_idx" ON "acknowledgement_events" USING btree ("workspace_id","triggered_at");
--> statement-breakpoint
CREATE UNIQUE INDEX "acknowledgement_events_period_uq" ON "acknowledgement_events" USING btree ("workspace_id","period_key");
--> statement-breakpoint
CREATE TABLE "acknowledgement_obligations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"ladder" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"current_escalation_level" text,
	"reminder_sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "acknowledgement_obligations_event_member_uq" ON "acknowledgement_obligations" USING btree ("event_id","member_id");
--> statement-breakpoint
CREATE INDEX "acknowledgement_obligations_ws_status_idx" ON "acknowledgement_obligations" USING btree ("workspace_id","status");
--> statement-breakpoint
CREATE INDEX "acknowledgement_obligations_member_idx" ON "acknowledgement_obligations" USING btree ("member_id");
--> statement-breakpoint
CREATE TABLE "acknowledgement_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"obligation_id" uuid,
	"event_id" uuid,
	"member_id" uuid NOT NULL,
	"policy_id" uuid NOT NULL,
	"policy_version_id" uuid NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"ip_address" text,
	"user_agent" text,
	"content_sha256" text,
	"acknowledgement_type" text,
	"recorded_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "acknowledgement_requests_obligation_idx" ON "acknowledgement_requests" USING btree ("obligation_id");
--> statement-breakpoint
CREATE INDEX "acknowledgement_requests_member_policy_idx" ON "acknowledgement_requests" USING btree ("workspace_id","member_id","policy_id");
--> statement-breakpoint
CREATE TABLE "acknowledgement_links" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"obligation_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "acknowledgement_links_token_uq" ON "acknowledgement_links" USING btree ("token_hash");
--> statement-breakpoint
CREATE TABLE "policy_upgrade_prompts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"policy_id" uuid NOT NULL,
	"from_template_version_id" uuid,
	"to_template_version_id" uuid NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"resolved_by_id" uuid,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "policy_upgrade_prompts_policy_to_uq" ON "policy_upgrade_prompts" USING btree ("policy_id","to_template_version_id");
