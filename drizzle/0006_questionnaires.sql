CREATE TABLE "questionnaires" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"file_name" text NOT NULL,
	"mime_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"status" text DEFAULT 'UPLOADED' NOT NULL,
	"uploaded_by_id" uuid,
	"question_count" integer DEFAULT 0 NOT NULL,
	"analyzed_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "questionnaire_questions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"questionnaire_id" uuid NOT NULL,
	"sheet" text NOT NULL,
	"row_number" integer NOT NULL,
	"question_id" text,
	"text" text NOT NULL,
	"answer" text,
	"domain" text,
	"is_header" boolean DEFAULT false NOT NULL,
	"kind" text DEFAULT 'QUESTION' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "questionnaire_questions" ADD CONSTRAINT "questionnaire_questions_questionnaire_id_questionnaires_id_fk" FOREIGN KEY ("questionnaire_id") REFERENCES "public"."questionnaires"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "questionnaires_ws_idx" ON "questionnaires" USING btree ("workspace_id","id");
--> statement-breakpoint
CREATE INDEX "questionnaire_questions_q_idx" ON "questionnaire_questions" USING btree ("questionnaire_id","sheet","row_number");
