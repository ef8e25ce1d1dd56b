-- A session opened by an emailed acknowledgement link serves that purpose only: `purpose`
-- names it ('acknowledge'), `scope_ids` the acknowledgement obligations it may read and
-- acknowledge. A session signed in by a sign-in link has neither (the whole console).
ALTER TABLE "sessions" ADD COLUMN "purpose" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "scope_ids" uuid[];
