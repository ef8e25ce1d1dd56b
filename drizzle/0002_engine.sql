CREATE TABLE "escalation_matrices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"severity_levels" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"rules" jsonb NOT NULL,
	"form_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"team_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"priority_order" integer DEFAULT 100 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "escalations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"obligation_id" uuid NOT NULL,
	"level" text NOT NULL,
	"target" jsonb NOT NULL,
	"target_member_ids" jsonb NOT NULL,
	"channels" jsonb NOT NULL,
	"fired_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"severity" text,
	"status" text DEFAULT 'OPEN' NOT NULL,
	"team_id" uuid,
	"form_id" text,
	"reporter_id" uuid,
	"assignee_id" uuid,
	"obligation_kind" text,
	"obligation_id" uuid,
	"matrix_id" uuid,
	"ladder_source" text DEFAULT 'DEFAULT' NOT NULL,
	"ladder" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"current_escalation_level" text,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by_id" uuid,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"dedupe_key" text NOT NULL,
	"channel" text NOT NULL,
	"recipient_id" uuid,
	"recipient_address" text,
	"template" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"kind" text,
	"obligation_id" uuid,
	"step_key" text,
	"level" text,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"provider_message_id" text,
	"last_error" text,
	"deliver_after" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "obligation_steps" (
	"workspace_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"obligation_id" uuid NOT NULL,
	"step_key" text NOT NULL,
	"action" text NOT NULL,
	"level" text,
	"due_at" timestamp with time zone,
	"performed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "obligation_steps_kind_obligation_id_step_key_pk" PRIMARY KEY("kind","obligation_id","step_key")
);
--> statement-breakpoint
CREATE INDEX "escalation_matrices_ws_idx" ON "escalation_matrices" USING btree ("workspace_id","priority_order");--> statement-breakpoint
CREATE UNIQUE INDEX "escalations_obligation_level_uq" ON "escalations" USING btree ("kind","obligation_id","level");--> statement-breakpoint
CREATE INDEX "escalations_ws_idx" ON "escalations" USING btree ("workspace_id","fired_at");--> statement-breakpoint
CREATE INDEX "tickets_ws_status_idx" ON "tickets" USING btree ("workspace_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_dedupe_uq" ON "notifications" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "notifications_ws_status_idx" ON "notifications" USING btree ("workspace_id","status","deliver_after");--> statement-breakpoint
CREATE INDEX "notifications_obligation_idx" ON "notifications" USING btree ("kind","obligation_id");--> statement-breakpoint
CREATE INDEX "obligation_steps_ws_idx" ON "obligation_steps" USING btree ("workspace_id","performed_at");