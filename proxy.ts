import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";

// The docs are public: static pages that read no session. An invitation's page shows signed-out
// people what they are invited to, then sends them to sign up or sign in.
const PUBLIC = ["/sign-in", "/sign-up", "/docs", "/join"];

/**
 * An optimistic check only (cookie present?), so a signed-out visit redirects before rendering. The
 * console layout and the API verify the session for real.
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (PUBLIC.some((p) => pathname === p || pathname.startsWith(`${p}/`))) return NextResponse.next();
  if (!getSessionCookie(request, { cookiePrefix: "genmedia" })) {
    const url = new URL("/sign-in", request.url);
    url.searchParams.set("next", pathname + search);
    return NextResponse.redirect(url);
  }
  const headers = new Headers(request.headers);
  headers.set("x-pathname", pathname + search);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Everything but the API, Next's assets and files with an extension.
  matcher: ["/((?!api/|_next/|.*\\.[a-zA-Z0-9]+$).*)"],
};
