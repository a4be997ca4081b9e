import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyText } from "./copy-text";

const WITH_PACKAGE = `import { Webhook } from "standardwebhooks";

const wh = new Webhook(process.env.GENMEDIA_WEBHOOK_SECRET); // whsec_…
// rawBody: the request body exactly as received (a string), before any JSON parsing.
const event = wh.verify(rawBody, {
  "webhook-id": req.headers["webhook-id"],
  "webhook-timestamp": req.headers["webhook-timestamp"],
  "webhook-signature": req.headers["webhook-signature"],
}); // throws if the signature or the timestamp (±5 min) is wrong`;

const BY_HAND = `import { createHmac, timingSafeEqual } from "node:crypto";

function verify(secret, rawBody, headers) {
  const id = headers["webhook-id"], ts = headers["webhook-timestamp"];
  if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) throw new Error("stale");
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const expected = createHmac("sha256", key).update(\`\${id}.\${ts}.\${rawBody}\`).digest();
  const ok = headers["webhook-signature"].split(" ").some((s) => {
    const sig = Buffer.from(s.replace(/^v1,/, ""), "base64");
    return sig.length === expected.length && timingSafeEqual(sig, expected);
  });
  if (!ok) throw new Error("bad signature");
  return JSON.parse(rawBody); // { id, type, created_at, data }
}`;

/** How a receiver checks that a delivery is ours (Standard Webhooks). */
export function VerifySnippet() {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Verify the signature</CardTitle>
        <CardDescription>
          Each delivery carries <code className="font-mono">webhook-id</code> (the event id, the same on every
          retry: deduplicate on it), <code className="font-mono">webhook-timestamp</code> and{" "}
          <code className="font-mono">webhook-signature</code>: <code className="font-mono">v1,</code> and the
          base64 HMAC-SHA256 of <code className="font-mono">id.timestamp.body</code> under the base64 key
          after <code className="font-mono">whsec_</code>. Answer 2xx within 10 s; anything else is retried
          for 24 h.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {[
          { title: "With the standardwebhooks package", code: WITH_PACKAGE },
          { title: "With node:crypto only", code: BY_HAND },
        ].map(({ title, code }) => (
          <div key={title} className="flex min-w-0 flex-col gap-2">
            <div className="flex items-center justify-between gap-2">
              <h3 className="text-sm font-medium">{title}</h3>
              <CopyText text={code} label="Copy" what="Snippet" />
            </div>
            <pre className="overflow-x-auto rounded-md bg-muted p-3 font-mono text-xs">{code}</pre>
          </div>
        ))}
      </CardContent>
    </Card>
  );
}
