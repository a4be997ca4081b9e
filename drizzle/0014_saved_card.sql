ALTER TABLE "top_ups" ADD COLUMN "payment_intent_id" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "stripe_customer_id" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "payment_method_id" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "payment_method_brand" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "payment_method_last4" text;--> statement-breakpoint
ALTER TABLE "top_ups" ADD CONSTRAINT "top_ups_payment_intent_id_unique" UNIQUE("payment_intent_id");