ALTER TABLE "ledger_entries" ADD COLUMN "trigger" text;--> statement-breakpoint
ALTER TABLE "top_ups" ADD COLUMN "trigger" text DEFAULT 'manual' NOT NULL;--> statement-breakpoint
ALTER TABLE "top_ups" ADD COLUMN "job_id" text;--> statement-breakpoint
ALTER TABLE "top_ups" ADD COLUMN "failure_reason" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "auto_recharge_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "auto_recharge_threshold" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "auto_recharge_pack" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "auto_recharge_cap_cents" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "auto_recharge_top_up_id" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "auto_recharge_month" date;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "auto_recharge_month_cents" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "auto_recharge_disabled_reason" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "auto_recharge_disabled_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "top_ups_auto_recharge_in_flight" ON "top_ups" USING btree ("customer_id") WHERE "top_ups"."trigger" = 'auto_recharge' and "top_ups"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "customers_auto_recharge_in_flight_idx" ON "customers" USING btree ("auto_recharge_top_up_id") WHERE "customers"."auto_recharge_top_up_id" is not null;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_auto_recharge_month_nonnegative" CHECK ("customers"."auto_recharge_month_cents" >= 0);