-- Each customer's events get a number in commit order (events.seq): the live stream resumes a
-- reconnecting client (Last-Event-ID) by it, without a gap or a repeat. An event's id is minted before
-- its transaction commits, so ids alone are not commit order (a transaction that minted an earlier id
-- may commit later, and a reader that resumed after a later id would skip it). The number is taken by a
-- trigger from the customer's row in event_sequences, which stays locked until the transaction ends:
-- a second transaction of the same customer waits there and numbers after the first one committed.
CREATE TABLE "event_sequences" (
	"customer_id" text PRIMARY KEY NOT NULL,
	"last_seq" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "event_sequences" ADD CONSTRAINT "event_sequences_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "seq" bigint;--> statement-breakpoint
-- The events so far, in id order (the best order known for them).
UPDATE "events" SET "seq" = n.seq
  FROM (SELECT "id", row_number() OVER (PARTITION BY "customer_id" ORDER BY "id") AS seq FROM "events") n
  WHERE "events"."id" = n."id";--> statement-breakpoint
INSERT INTO "event_sequences" ("customer_id", "last_seq")
  SELECT "customer_id", max("seq") FROM "events" GROUP BY "customer_id";--> statement-breakpoint
ALTER TABLE "events" ALTER COLUMN "seq" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "events_customer_seq_idx" ON "events" USING btree ("customer_id","seq");--> statement-breakpoint
CREATE FUNCTION "events_next_seq"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "event_sequences" ("customer_id", "last_seq") VALUES (NEW."customer_id", 1)
    ON CONFLICT ("customer_id") DO UPDATE SET "last_seq" = "event_sequences"."last_seq" + 1
    RETURNING "last_seq" INTO NEW."seq";
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "events_seq" BEFORE INSERT ON "events" FOR EACH ROW EXECUTE FUNCTION "events_next_seq"();
