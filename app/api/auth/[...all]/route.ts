import "server-only";
import { getAuth } from "@/lib/server/auth/auth";

export const dynamic = "force-dynamic";

const handler = async (request: Request) => (await getAuth()).handler(request);

export { handler as GET, handler as POST };
