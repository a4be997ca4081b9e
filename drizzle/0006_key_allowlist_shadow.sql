ALTER TABLE "api_keys" ADD COLUMN "shadow_allowed_origins" text[];--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "shadow_allowed_ips" text[];--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "shadow_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "shadow_ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "shadow_would_refuse" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "request_log" ADD COLUMN "would_refuse" text;--> statement-breakpoint
CREATE INDEX "request_log_customer_would_refuse_idx" ON "request_log" USING btree ("customer_id","at") WHERE "request_log"."would_refuse" is not null;--> statement-breakpoint
-- The shadow lists are read by every verdict too (0003's trigger, with them): a change made outside the app notifies.
DROP TRIGGER "api_keys_key_auth" ON "api_keys";--> statement-breakpoint
CREATE TRIGGER "api_keys_key_auth" AFTER UPDATE ON "api_keys" FOR EACH ROW
  WHEN ((OLD.status, OLD.expires_at, OLD.allowed_ips, OLD.allowed_origins, OLD.customer_id,
         OLD.shadow_allowed_ips, OLD.shadow_allowed_origins, OLD.shadow_ends_at)
    IS DISTINCT FROM (NEW.status, NEW.expires_at, NEW.allowed_ips, NEW.allowed_origins, NEW.customer_id,
         NEW.shadow_allowed_ips, NEW.shadow_allowed_origins, NEW.shadow_ends_at))
  EXECUTE FUNCTION "key_auth_changed"();
