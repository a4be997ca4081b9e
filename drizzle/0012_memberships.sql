CREATE TABLE "memberships" (
	"customer_id" text NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memberships_customer_id_user_id_pk" PRIMARY KEY("customer_id","user_id"),
	CONSTRAINT "memberships_role_check" CHECK ("role" IN ('owner', 'admin', 'developer', 'billing', 'viewer'))
);
--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
CREATE INDEX "memberships_user_idx" ON "memberships" USING btree ("user_id");--> statement-breakpoint
-- Every customer's person so far: the owner stays owner; a "member" (billing refused, all else allowed) is a developer.
INSERT INTO "memberships" ("customer_id", "user_id", "role", "created_at")
SELECT "customer_id", "id", CASE WHEN "role" = 'member' THEN 'developer' ELSE 'owner' END, "created_at"
  FROM "users" WHERE "customer_id" IS NOT NULL AND "role" <> 'support';
