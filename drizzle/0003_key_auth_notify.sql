-- Key verification is served from a short per-process cache (lib/server/keys/auth-cache.ts). Every change
-- that can alter a key's verdict notifies channel key_auth in the transaction that makes it, so each
-- process forgets that key (or that customer's keys) when the change commits, whoever made it: the app,
-- a script or psql. Payload: "key:<api_keys.id>" or "customer:<customers.id>".
CREATE FUNCTION "key_auth_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'customers' THEN
    PERFORM pg_notify('key_auth', 'customer:' || OLD.id);
  ELSIF TG_TABLE_NAME = 'api_keys' THEN
    PERFORM pg_notify('key_auth', 'key:' || OLD.id);
  ELSE
    PERFORM pg_notify('key_auth', 'key:' || OLD.key_id);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
-- Only the columns a verdict reads: the counters and last-use columns written on the hot path don't notify.
CREATE TRIGGER "api_keys_key_auth" AFTER UPDATE ON "api_keys" FOR EACH ROW
  WHEN ((OLD.status, OLD.expires_at, OLD.allowed_ips, OLD.allowed_origins, OLD.customer_id)
    IS DISTINCT FROM (NEW.status, NEW.expires_at, NEW.allowed_ips, NEW.allowed_origins, NEW.customer_id))
  EXECUTE FUNCTION "key_auth_changed"();--> statement-breakpoint
CREATE TRIGGER "api_keys_key_auth_delete" AFTER DELETE ON "api_keys" FOR EACH ROW
  EXECUTE FUNCTION "key_auth_changed"();--> statement-breakpoint
CREATE TRIGGER "key_secrets_key_auth" AFTER UPDATE OR DELETE ON "key_secrets" FOR EACH ROW
  EXECUTE FUNCTION "key_auth_changed"();--> statement-breakpoint
CREATE TRIGGER "customers_key_auth" AFTER UPDATE ON "customers" FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION "key_auth_changed"();--> statement-breakpoint
CREATE TRIGGER "customers_key_auth_delete" AFTER DELETE ON "customers" FOR EACH ROW
  EXECUTE FUNCTION "key_auth_changed"();
