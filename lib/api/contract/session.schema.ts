import { z } from "zod";

import { MEMBER_ROLES } from "./roles";

/** A customer member's role, or "support" for platform staff. */
export const ROLES = [...MEMBER_ROLES, "support"] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in console account, as `GET /me` returns it. */
export const MeSchema = z
  .object({
    user: z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.enum(ROLES) }),
    customer: z.object({ id: z.string(), name: z.string(), status: z.enum(["active", "paused"]) }).nullable(),
    /** Every team the person belongs to (the account menu switches between them). */
    teams: z
      .array(z.object({ customer_id: z.string(), customer_name: z.string(), role: z.enum(MEMBER_ROLES) }))
      .optional(),
  })
  .meta({ id: "Me" });
export type Me = z.infer<typeof MeSchema>;
