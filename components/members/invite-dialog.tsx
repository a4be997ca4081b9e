"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Check, Copy, Loader2, UserPlus } from "lucide-react";
import * as React from "react";
import { useCopy } from "@/components/common/use-copy";
import { ErrorState } from "@/components/errors/error-state";
import { Button } from "@/components/ui/button";
import { ChoiceSelect } from "@/components/ui/choice-select";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { Field, FieldControl, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { InvitationWithLink } from "@/lib/api/contract/members.schema";
import { type MemberRole, ROLE_LABELS } from "@/lib/api/contract/roles";
import { fieldErrors } from "@/lib/api/error-ui";
import { memberApi, memberQueries } from "@/lib/api/queries/members";
import { formatDate } from "@/lib/format";
import { toast } from "@/lib/toast";
import { grantableRoles, ROLE_HINTS } from "./role-choices";

/**
 * Invite by email with a role (no higher than the inviter's). There is no email service: the link is
 * shown once, here, to copy and share.
 */
export function InviteDialog({
  actorRole,
  disabledReason,
}: {
  actorRole: MemberRole;
  disabledReason?: string;
}) {
  const queryClient = useQueryClient();
  const [open, setOpen] = React.useState(false);
  const [email, setEmail] = React.useState("");
  const [role, setRole] = React.useState<MemberRole>("developer");
  const [created, setCreated] = React.useState<InvitationWithLink | null>(null);
  const { copied, copy } = useCopy({
    done: () => toast.success("Invite link copied"),
    byHand: "Select the link and copy it by hand.",
  });

  const invite = useMutation({
    // The response holds the link: keep it no longer than the dialog that shows it.
    gcTime: 0,
    mutationFn: memberApi.invite,
    onSuccess: (invitation) => {
      void queryClient.invalidateQueries({ queryKey: memberQueries.invitations().queryKey });
      toast.success("Invitation created", { description: `Share the link with ${invitation.email}.` });
      setCreated(invitation);
    },
  });

  function reset() {
    setEmail("");
    setRole("developer");
    setCreated(null);
    invite.reset();
  }

  const fields = fieldErrors(invite.error);
  const otherError = invite.error && Object.keys(fields).length === 0 ? invite.error : null;

  return (
    <div className="flex flex-col items-end gap-1">
      <Dialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) reset();
        }}
      >
        <DialogTrigger asChild>
          <Button
            disabled={Boolean(disabledReason)}
            aria-describedby={disabledReason ? "invite-disabled" : undefined}
          >
            <UserPlus aria-hidden />
            Invite member
          </Button>
        </DialogTrigger>
        <DialogContent className="sm:max-w-lg">
          {created ? (
            <>
              <DialogHeader>
                <DialogTitle>Invite link for {created.email}</DialogTitle>
                <DialogDescription>
                  Send this link to {created.email}. It works once, for that email, until{" "}
                  {formatDate(created.expires_at)}. It is shown only now.
                </DialogDescription>
              </DialogHeader>
              <div className="flex flex-col gap-2">
                <Label htmlFor="invite-link">Invite link</Label>
                <Input
                  id="invite-link"
                  readOnly
                  value={created.url}
                  className="font-mono text-xs"
                  onFocus={(e) => e.currentTarget.select()}
                />
              </div>
              <DialogFooter>
                <Button type="button" variant="outline" onClick={() => void copy(created.url)}>
                  {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
                  Copy invite link
                </Button>
                <Button type="button" onClick={() => setOpen(false)}>
                  Done
                </Button>
              </DialogFooter>
            </>
          ) : (
            <>
              <DialogHeader>
                <DialogTitle>Invite a member</DialogTitle>
                <DialogDescription>
                  They join with the role you choose once they accept the link (valid for 7 days).
                </DialogDescription>
              </DialogHeader>
              <form
                className="flex flex-col gap-5"
                noValidate
                onSubmit={(event) => {
                  event.preventDefault();
                  invite.mutate({ email: email.trim(), role });
                }}
              >
                <Field id="invite-email" error={fields.email}>
                  <FieldLabel>Email</FieldLabel>
                  <FieldControl>
                    <Input
                      type="email"
                      value={email}
                      maxLength={254}
                      autoComplete="off"
                      placeholder="teammate@example.com"
                      onChange={(e) => setEmail(e.target.value)}
                    />
                  </FieldControl>
                  <FieldError />
                </Field>
                <div className="flex flex-col gap-2">
                  <Label htmlFor="invite-role">Role</Label>
                  <ChoiceSelect
                    id="invite-role"
                    className="w-56"
                    value={role}
                    onValueChange={setRole}
                    choices={grantableRoles(actorRole)}
                    invalid={Boolean(fields.role)}
                  />
                  <p className="text-sm text-muted-foreground">
                    {fields.role ?? `${ROLE_LABELS[role]}: ${ROLE_HINTS[role]}.`}
                  </p>
                </div>
                {otherError ? <ErrorState error={otherError} /> : null}
                <DialogFooter>
                  <Button type="submit" disabled={invite.isPending}>
                    {invite.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
                    Create invite link
                  </Button>
                </DialogFooter>
              </form>
            </>
          )}
        </DialogContent>
      </Dialog>
      {disabledReason ? (
        <p id="invite-disabled" className="text-xs text-muted-foreground">
          {disabledReason}
        </p>
      ) : null}
    </div>
  );
}
