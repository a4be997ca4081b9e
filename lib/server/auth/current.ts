import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { getConsoleSession } from "./session";

/** The signed-in console account of the page being rendered (once per request). */
export const currentSession = cache(async () => getConsoleSession(await headers()));
