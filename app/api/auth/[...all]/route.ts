import "server-only";
import { handleAuthRequest } from "@/lib/server/auth/handler";

export const dynamic = "force-dynamic";

const handler = (request: Request) => handleAuthRequest(request);

export { handler as GET, handler as POST };
