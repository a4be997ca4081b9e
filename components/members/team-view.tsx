"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { Loader2, UserMinus, XCircle } from "lucide-react";
import * as React from "react";
import { LocalTime } from "@/components/common/local-time";
import { ErrorState } from "@/components/errors/error-state";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ChoiceSelect } from "@/components/ui/choice-select";
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { Invitation, Member } from "@/lib/api/contract/members.schema";
import { canGrant } from "@/lib/api/contract/role-rank";
import { can, type MemberRole, ROLE_LABELS } from "@/lib/api/contract/roles";
import { memberApi, memberQueries } from "@/lib/api/queries/members";
import { formatDate } from "@/lib/format";
import { toast } from "@/lib/toast";
import { InviteDialog } from "./invite-dialog";
import { grantableRoles } from "./role-choices";

/** Members and pending invitations; owners and admins manage them, everyone else reads. */
export function TeamView({ me }: { me: { userId: string; role: MemberRole } }) {
  const manage = can(me.role, "members.write");
  const readOnlyReason = manage
    ? undefined
    : `Only owners and admins can invite and change members; you are ${ROLE_LABELS[me.role]}.`;
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Team</h1>
          <p className="text-sm text-muted-foreground">
            Who can use this account, and what each may do. API keys and credits belong to the team.
          </p>
        </div>
        <InviteDialog actorRole={me.role} disabledReason={readOnlyReason} />
      </div>
      <MembersCard me={me} readOnlyReason={readOnlyReason} />
      <InvitationsCard me={me} readOnlyReason={readOnlyReason} />
    </div>
  );
}

function MembersCard({
  me,
  readOnlyReason,
}: {
  me: { userId: string; role: MemberRole };
  readOnlyReason?: string;
}) {
  const { data } = useSuspenseQuery(memberQueries.members());
  const owners = data.data.filter((m) => m.role === "owner").length;
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Members</h2>
        </CardTitle>
        <CardDescription>
          {readOnlyReason ?? "Change a role or remove a member; it counts on their next request."}
        </CardDescription>
      </CardHeader>
      <CardContent>
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Member</TableHead>
              <TableHead>Role</TableHead>
              <TableHead>Joined</TableHead>
              <TableHead className="text-right">Actions</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {data.data.map((member) => (
              <MemberRow
                key={member.user_id}
                member={member}
                me={me}
                readOnlyReason={readOnlyReason}
                lastOwner={member.role === "owner" && owners === 1}
              />
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}

/** Why `me` can't change this member, or undefined when they can. */
function lockedReason(
  member: Member,
  me: { userId: string; role: MemberRole },
  readOnlyReason?: string,
  lastOwner?: boolean,
) {
  if (readOnlyReason) return readOnlyReason;
  if (lastOwner) return "A team needs an owner: make someone else owner first.";
  if (!canGrant(me.role, member.role)) return `Only an owner can change an ${ROLE_LABELS[member.role]}.`;
  return undefined;
}

function MemberRow({
  member,
  me,
  readOnlyReason,
  lastOwner,
}: {
  member: Member;
  me: { userId: string; role: MemberRole };
  readOnlyReason?: string;
  lastOwner: boolean;
}) {
  const queryClient = useQueryClient();
  const self = member.user_id === me.userId;
  const locked = lockedReason(member, me, readOnlyReason, lastOwner);
  // Anyone may leave, whatever their role: only the last owner is held back.
  const removeLocked = self ? lockedReason(member, me, undefined, lastOwner) : locked;
  const reasonId = `member-${member.user_id}-locked`;
  const refresh = () => queryClient.invalidateQueries({ queryKey: memberQueries.members().queryKey });

  const setRole = useMutation({
    mutationFn: memberApi.setRole,
    onSuccess: (updated) => {
      void refresh();
      toast.success("Role changed", { description: `${updated.email} is now ${ROLE_LABELS[updated.role]}.` });
      // A change of your own role changes what this console shows you.
      if (self) window.location.reload();
    },
  });
  const remove = useMutation({
    mutationFn: memberApi.remove,
    onSuccess: (removed) => {
      toast.success(self ? "You left the team" : "Member removed", {
        description: self ? undefined : `${removed.email} no longer has access.`,
      });
      if (self) window.location.reload();
      else void refresh();
    },
  });
  const error = setRole.error ?? remove.error;
  const selectId = `role-${member.user_id}`;
  // The current role is always a choice, even one above the actor's (shown, not grantable).
  const choices = locked
    ? [{ value: member.role, label: ROLE_LABELS[member.role] }]
    : grantableRoles(me.role);

  return (
    <TableRow>
      <TableCell>
        <div className="flex flex-col">
          <span className="font-medium">
            {member.name}
            {self ? (
              <Badge variant="secondary" className="ml-2">
                You
              </Badge>
            ) : null}
          </span>
          <span className="text-xs text-muted-foreground">{member.email}</span>
          {error ? <ErrorState error={error} className="mt-2" /> : null}
        </div>
      </TableCell>
      <TableCell>
        <Label htmlFor={selectId} className="sr-only">
          Role of {member.email}
        </Label>
        <ChoiceSelect
          id={selectId}
          className="w-36"
          value={member.role}
          disabled={Boolean(locked) || setRole.isPending}
          onValueChange={(role) => setRole.mutate({ userId: member.user_id, role })}
          choices={choices}
        />
      </TableCell>
      <TableCell className="whitespace-nowrap text-sm text-muted-foreground">
        <LocalTime iso={member.joined_at} format={formatDate} />
      </TableCell>
      <TableCell className="text-right">
        <AlertDialog>
          <AlertDialogTrigger asChild>
            <Button
              type="button"
              variant="outline"
              size="sm"
              disabled={Boolean(removeLocked) || remove.isPending}
              aria-label={self ? "Leave the team" : `Remove ${member.email}`}
              aria-describedby={removeLocked ? reasonId : undefined}
              title={removeLocked}
            >
              {remove.isPending ? (
                <Loader2 className="animate-spin" aria-hidden />
              ) : (
                <UserMinus aria-hidden />
              )}
              {self ? "Leave" : "Remove"}
            </Button>
          </AlertDialogTrigger>
          <AlertDialogContent>
            <AlertDialogHeader>
              <AlertDialogTitle>{self ? "Leave this team?" : `Remove ${member.email}?`}</AlertDialogTitle>
              <AlertDialogDescription>
                {self
                  ? "You lose access to its keys, jobs and billing at once, and are signed out of it."
                  : `${member.name} loses access at once: their sessions for this team end. API keys they made stay with the team.`}
              </AlertDialogDescription>
            </AlertDialogHeader>
            <AlertDialogFooter>
              <AlertDialogCancel>Cancel</AlertDialogCancel>
              <AlertDialogAction onClick={() => remove.mutate({ userId: member.user_id })}>
                {self ? "Leave team" : "Remove member"}
              </AlertDialogAction>
            </AlertDialogFooter>
          </AlertDialogContent>
        </AlertDialog>
        {removeLocked ? (
          <span id={reasonId} className="sr-only">
            {removeLocked}
          </span>
        ) : null}
      </TableCell>
    </TableRow>
  );
}

function InvitationsCard({
  readOnlyReason,
}: {
  me: { userId: string; role: MemberRole };
  readOnlyReason?: string;
}) {
  const { data } = useSuspenseQuery(memberQueries.invitations());
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Pending invitations</h2>
        </CardTitle>
        <CardDescription>Links not yet used. Revoke one and its link stops working at once.</CardDescription>
      </CardHeader>
      <CardContent>
        {data.data.length === 0 ? (
          <p className="text-sm text-muted-foreground">No pending invitations.</p>
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Email</TableHead>
                <TableHead>Role</TableHead>
                <TableHead>Expires</TableHead>
                <TableHead className="text-right">Actions</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.data.map((invitation) => (
                <InvitationRow key={invitation.id} invitation={invitation} readOnlyReason={readOnlyReason} />
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

function InvitationRow({ invitation, readOnlyReason }: { invitation: Invitation; readOnlyReason?: string }) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: memberApi.revokeInvitation,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: memberQueries.invitations().queryKey });
      toast.success("Invitation revoked", {
        description: `The link for ${invitation.email} no longer works.`,
      });
    },
  });
  return (
    <TableRow>
      <TableCell>
        <div className="flex flex-col">
          <span className="font-medium">{invitation.email}</span>
          {invitation.invited_by ? (
            <span className="text-xs text-muted-foreground">Invited by {invitation.invited_by}</span>
          ) : null}
          {revoke.error ? <ErrorState error={revoke.error} className="mt-2" /> : null}
        </div>
      </TableCell>
      <TableCell>{ROLE_LABELS[invitation.role]}</TableCell>
      <TableCell className="whitespace-nowrap text-sm text-muted-foreground">
        <LocalTime iso={invitation.expires_at} format={formatDate} />
      </TableCell>
      <TableCell className="text-right">
        <AlertDialog>
          <AlertDialogTrigger asChild>
            <Button
              type="button"
              variant="outline"
              size="sm"
              disabled={Boolean(readOnlyReason) || revoke.isPending}
              title={readOnlyReason}
              aria-label={`Revoke invitation for ${invitation.email}`}
            >
              {revoke.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <XCircle aria-hidden />}
              Revoke
            </Button>
          </AlertDialogTrigger>
          <AlertDialogContent>
            <AlertDialogHeader>
              <AlertDialogTitle>Revoke the invitation for {invitation.email}?</AlertDialogTitle>
              <AlertDialogDescription>
                Its link stops working at once. You can invite them again later.
              </AlertDialogDescription>
            </AlertDialogHeader>
            <AlertDialogFooter>
              <AlertDialogCancel>Cancel</AlertDialogCancel>
              <AlertDialogAction onClick={() => revoke.mutate({ id: invitation.id })}>
                Revoke invitation
              </AlertDialogAction>
            </AlertDialogFooter>
          </AlertDialogContent>
        </AlertDialog>
      </TableCell>
    </TableRow>
  );
}
