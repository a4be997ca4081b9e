CREATE TABLE "request_log_daily" (
	"key_id" text NOT NULL,
	"day" timestamp with time zone NOT NULL,
	"ip" text,
	"origin" text,
	"requests" integer NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "request_log_daily_key_day_ip_origin" UNIQUE NULLS NOT DISTINCT("key_id","day","ip","origin")
);
--> statement-breakpoint
CREATE INDEX "request_log_daily_day_idx" ON "request_log_daily" USING btree ("day");--> statement-breakpoint
INSERT INTO "request_log_daily" ("key_id", "day", "ip", "origin", "requests", "last_at")
SELECT "key_id", date_trunc('day', "hour", 'UTC'), "ip", "origin", sum("requests"), max("last_at")
  FROM "request_log_hourly"
 GROUP BY 1, 2, 3, 4;
