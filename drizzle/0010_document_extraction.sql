-- Metadata extraction: each document version carries what the extractDocumentMetadata activity
-- found in its bytes (sniffed content type, pages, text extract, sheets, image size, word count,
-- language, SOC 2 criteria mentioned) and where extraction stands. PENDING until the activity ran;
-- DONE or FAILED (with the reason) after. A failure never affects the stored file.
ALTER TABLE "document_versions" ADD COLUMN "metadata" jsonb;--> statement-breakpoint
ALTER TABLE "document_versions" ADD COLUMN "extraction_status" text DEFAULT 'PENDING' NOT NULL;--> statement-breakpoint
ALTER TABLE "document_versions" ADD COLUMN "extraction_error" text;--> statement-breakpoint
ALTER TABLE "document_versions" ADD COLUMN "extracted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "document_versions" ADD CONSTRAINT "document_versions_extraction_status_ck"
	CHECK ("extraction_status" IN ('PENDING', 'DONE', 'FAILED'));--> statement-breakpoint
-- Every stored version queues its extraction workflow (document/<version id>) in the transaction
-- that registers it, through the workflow-command outbox of 0009 (kind document_extraction).
CREATE TRIGGER document_versions_extract AFTER INSERT ON document_versions
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
	EXECUTE FUNCTION vigil_queue_workflow_commands('document_extraction', 'id');--> statement-breakpoint
-- Versions stored before this migration are extracted too.
INSERT INTO workflow_commands (id, workspace_id, kind, obligation_id, action, task_queue)
	SELECT gen_random_uuid(), workspace_id, 'document_extraction', id, 'START',
		coalesce(nullif(current_setting('vigil.task_queue', true), ''), 'vigil')
	  FROM document_versions;
