import "server-only";
import { getApiApp } from "@/lib/server/api/app";

export const dynamic = "force-dynamic";

// Every method, so Next never answers (PUT, OPTIONS…) itself outside the envelope.
const handler = (request: Request) => getApiApp().fetch(request);

export {
  handler as DELETE,
  handler as GET,
  handler as HEAD,
  handler as OPTIONS,
  handler as PATCH,
  handler as POST,
  handler as PUT,
};
