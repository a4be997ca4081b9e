ALTER TABLE "api_keys" ADD COLUMN "rolled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "old_prefix" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "old_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "old_last_used_at" timestamp with time zone;--> statement-breakpoint
-- Keys rolled before this migration whose old secret still works: their last roll, from the audit trail.
UPDATE "api_keys" k SET "rolled_at" = r."at", "old_prefix" = r."details"->>'old_prefix', "old_expires_at" = s."expires_at"
  FROM (SELECT "key_id", max("expires_at") AS "expires_at" FROM "key_secrets" WHERE "expires_at" > now() GROUP BY "key_id") s,
       LATERAL (SELECT "at", "details" FROM "audit_log" a
                 WHERE a."target_type" = 'api_key' AND a."target_id" = s."key_id" AND a."action" = 'key.roll'
                 ORDER BY a."at" DESC LIMIT 1) r
 WHERE k."id" = s."key_id" AND k."status" <> 'revoked';
