CREATE TABLE "request_log_hourly" (
	"key_id" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"ip" text,
	"origin" text,
	"requests" integer NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "request_log_hourly_key_hour_ip_origin" UNIQUE NULLS NOT DISTINCT("key_id","hour","ip","origin")
);
--> statement-breakpoint
CREATE INDEX "request_log_hourly_hour_idx" ON "request_log_hourly" USING btree ("hour");--> statement-breakpoint
-- The keys' traffic already logged, rolled up as the writer will keep it from now on.
INSERT INTO "request_log_hourly" ("key_id", "hour", "ip", "origin", "requests", "last_at")
SELECT "key_id", date_trunc('hour', "at", 'UTC'), "ip", "origin", count(*), max("at")
  FROM "request_log" WHERE "key_id" IS NOT NULL
 GROUP BY 1, 2, 3, 4;
