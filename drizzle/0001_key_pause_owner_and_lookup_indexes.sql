ALTER TABLE "api_keys" ADD COLUMN "paused_by" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "paused_reason" text;--> statement-breakpoint
CREATE INDEX "ledger_request_idx" ON "ledger_entries" USING btree ("request_id") WHERE "ledger_entries"."request_id" is not null;--> statement-breakpoint
CREATE INDEX "jobs_request_idx" ON "jobs" USING btree ("request_id") WHERE "jobs"."request_id" is not null;--> statement-breakpoint
CREATE INDEX "api_keys_prefix_idx" ON "api_keys" USING btree ("prefix");