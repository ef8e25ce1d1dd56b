-- Sign-in by email link: a one-time link (only the SHA-256 of its token is stored), 15 minutes,
-- used once (used_at is set by the UPDATE that consumes it).
CREATE TABLE "sign_in_links" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL REFERENCES "workspaces"("id"),
	"member_id" uuid NOT NULL REFERENCES "members"("id"),
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE UNIQUE INDEX "sign_in_links_hash_uq" ON "sign_in_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "sign_in_links_expires_idx" ON "sign_in_links" USING btree ("expires_at");--> statement-breakpoint
-- Browser sessions: the cookie's secret is stored as its SHA-256 and replaced periodically
-- (the previous one keeps working for a short grace after a rotation, for requests in flight).
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL REFERENCES "workspaces"("id"),
	"member_id" uuid NOT NULL REFERENCES "members"("id"),
	"token_hash" text NOT NULL,
	"previous_token_hash" text,
	"csrf_token" text NOT NULL,
	"ip_address" text,
	"user_agent" text,
	"last_ip_address" text,
	"last_user_agent" text,
	"rotated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_hash_uq" ON "sessions" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "sessions_previous_hash_idx" ON "sessions" USING btree ("previous_token_hash") WHERE "previous_token_hash" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "sessions_member_idx" ON "sessions" USING btree ("workspace_id","member_id");--> statement-breakpoint
-- Fixed-window counters for the sign-in rate limits (per email hash and per client address).
CREATE TABLE "auth_rate_limits" (
	"bucket" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"hits" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "auth_rate_limits_pk" PRIMARY KEY("bucket","window_start")
);
