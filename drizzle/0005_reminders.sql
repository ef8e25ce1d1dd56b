CREATE TABLE "reminders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"category" text DEFAULT 'COMPLIANCE' NOT NULL,
	"priority" text DEFAULT 'MEDIUM' NOT NULL,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"frequency" text NOT NULL,
	"cron_expression" text,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"start_date" timestamp with time zone NOT NULL,
	"end_date" timestamp with time zone,
	"next_occurrence" timestamp with time zone,
	"assignment_strategy" text DEFAULT 'FIXED' NOT NULL,
	"default_owner_id" uuid,
	"default_team_id" uuid,
	"domain" text,
	"control_id" text,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"escalation_config" jsonb,
	"notification_config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"requires_acknowledgment" boolean DEFAULT false NOT NULL,
	"requires_evidence" boolean DEFAULT false NOT NULL,
	"evidence_freshness_days" integer,
	"source_type" text,
	"source_id" text,
	"source_question_id" text,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reminder_instances" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"reminder_id" uuid NOT NULL,
	"due_date" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"current_escalation_level" text,
	"assigned_owner_id" uuid,
	"assigned_team_id" uuid,
	"routed_via" text,
	"ladder" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"ladder_source" text DEFAULT 'DEFAULT' NOT NULL,
	"notification_count" integer DEFAULT 0 NOT NULL,
	"last_notified_at" timestamp with time zone,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by_id" uuid,
	"acknowledged_notes" text,
	"completed_at" timestamp with time zone,
	"completed_by_id" uuid,
	"completed_notes" text,
	"skipped_at" timestamp with time zone,
	"skipped_by_id" uuid,
	"skip_reason" text,
	"evidence_links" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "control_owners" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"control_id" text NOT NULL,
	"domain" text,
	"primary_owner_id" uuid,
	"backup_owner_id" uuid,
	"team_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "domain_team_mappings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"domain" text NOT NULL,
	"team_id" uuid NOT NULL,
	"priority" integer DEFAULT 100 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assignment_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"priority" integer DEFAULT 100 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"rule_config" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reminder_suggestions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"questionnaire_response_id" uuid,
	"question_id" text,
	"suggested_title" text NOT NULL,
	"suggested_description" text,
	"suggested_category" text DEFAULT 'COMPLIANCE' NOT NULL,
	"suggested_frequency" text DEFAULT 'YEARLY' NOT NULL,
	"suggested_domain" text,
	"confidence_score" real,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"created_reminder_id" uuid,
	"rejection_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "reminder_instances" ADD CONSTRAINT "reminder_instances_reminder_id_reminders_id_fk" FOREIGN KEY ("reminder_id") REFERENCES "public"."reminders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reminders_ws_status_idx" ON "reminders" USING btree ("workspace_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "reminder_instances_reminder_due_uq" ON "reminder_instances" USING btree ("reminder_id","due_date");--> statement-breakpoint
CREATE INDEX "reminder_instances_ws_status_due_idx" ON "reminder_instances" USING btree ("workspace_id","status","due_date");--> statement-breakpoint
CREATE INDEX "reminder_instances_owner_idx" ON "reminder_instances" USING btree ("assigned_owner_id");--> statement-breakpoint
CREATE INDEX "control_owners_ws_control_idx" ON "control_owners" USING btree ("workspace_id","control_id");--> statement-breakpoint
CREATE INDEX "domain_team_mappings_ws_idx" ON "domain_team_mappings" USING btree ("workspace_id","domain");--> statement-breakpoint
CREATE INDEX "assignment_rules_ws_idx" ON "assignment_rules" USING btree ("workspace_id","priority");--> statement-breakpoint
CREATE INDEX "reminder_suggestions_ws_status_idx" ON "reminder_suggestions" USING btree ("workspace_id","status");
