CREATE TABLE "spend_alerts" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"scope" text NOT NULL,
	"key_id" text,
	"month" date NOT NULL,
	"threshold" integer NOT NULL,
	"credit_limit" integer NOT NULL,
	"spent_credits" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "monthly_credit_limit" integer;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "spend_month" date;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "spend_month_credits" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "monthly_credit_limit" integer;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "spend_month" date;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "spend_month_credits" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "spend_alerts" ADD CONSTRAINT "spend_alerts_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spend_alerts" ADD CONSTRAINT "spend_alerts_key_id_api_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."api_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "spend_alerts_once" ON "spend_alerts" USING btree ("customer_id",coalesce("key_id", ''),"month","threshold");--> statement-breakpoint
CREATE INDEX "spend_alerts_customer_idx" ON "spend_alerts" USING btree ("customer_id","month");--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_spend_month_nonnegative" CHECK ("customers"."spend_month_credits" >= 0);--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_credit_limit_nonnegative" CHECK ("customers"."monthly_credit_limit" >= 0);--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_spend_month_nonnegative" CHECK ("api_keys"."spend_month_credits" >= 0);--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_credit_limit_nonnegative" CHECK ("api_keys"."monthly_credit_limit" >= 0);--> statement-breakpoint
CREATE OR REPLACE FUNCTION "spend_limit_refused"("credit_limit" integer, "spent" integer, "required" integer) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
  -- A job charge's statement calls this to abort with its own SQLSTATE when a key's monthly credit limit
  -- refuses it (lib/server/billing/ledger.ts chargeNewJob): the debit already made in the statement is
  -- undone, and the caller tells this refusal from a full queue.
  RAISE EXCEPTION USING ERRCODE = 'GM402', MESSAGE = 'spend_limit',
    DETAIL = json_build_object('limit', credit_limit, 'spent', spent, 'required', required)::text;
END;
$$;--> statement-breakpoint
-- This month's spend so far, from the ledger: charges made this UTC month, less the refunds of them.
WITH month_start AS (
  SELECT date_trunc('month', now() at time zone 'utc') at time zone 'utc' AS at
), spent AS (
  SELECT c.customer_id, -c.credits - coalesce(r.credits, 0) AS credits
  FROM "ledger_entries" c
  LEFT JOIN "ledger_entries" r ON r.job_id = c.job_id AND r.job_attempt = c.job_attempt AND r.kind = 'job_refund'
  WHERE c.kind = 'job_charge' AND c.created_at >= (SELECT at FROM month_start)
), by_customer AS (
  SELECT customer_id, sum(credits)::int AS credits FROM spent GROUP BY customer_id
)
UPDATE "customers" SET "spend_month" = (date_trunc('month', now() at time zone 'utc'))::date,
  "spend_month_credits" = greatest(0, b.credits)
FROM by_customer b WHERE b.customer_id = "customers"."id";--> statement-breakpoint
WITH month_start AS (
  SELECT date_trunc('month', now() at time zone 'utc') at time zone 'utc' AS at
), spent AS (
  SELECT c.key_id, -c.credits - coalesce(r.credits, 0) AS credits
  FROM "ledger_entries" c
  LEFT JOIN "ledger_entries" r ON r.job_id = c.job_id AND r.job_attempt = c.job_attempt AND r.kind = 'job_refund'
  WHERE c.kind = 'job_charge' AND c.key_id IS NOT NULL AND c.created_at >= (SELECT at FROM month_start)
), by_key AS (
  SELECT key_id, sum(credits)::int AS credits FROM spent GROUP BY key_id
)
UPDATE "api_keys" SET "spend_month" = (date_trunc('month', now() at time zone 'utc'))::date,
  "spend_month_credits" = greatest(0, b.credits)
FROM by_key b WHERE b.key_id = "api_keys"."id";
