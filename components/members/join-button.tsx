"use client";

import { useMutation } from "@tanstack/react-query";
import { Loader2, LogIn } from "lucide-react";
import { ErrorState } from "@/components/errors/error-state";
import { Button } from "@/components/ui/button";
import { memberApi } from "@/lib/api/queries/members";
import { toast } from "@/lib/toast";

/** Accepts the invitation as the signed-in person, then opens the console acting for the team. */
export function JoinButton({ token, team }: { token: string; team: string }) {
  const join = useMutation({
    mutationFn: memberApi.accept,
    onSuccess: () => {
      toast.success(`You joined ${team}`);
      // A full load: the console's shell (role, nav, balance) is the new team's from the first paint.
      window.location.replace("/");
    },
  });
  return (
    <div className="flex flex-col gap-3">
      <Button
        type="button"
        disabled={join.isPending || join.isSuccess}
        onClick={() => join.mutate({ token })}
      >
        {join.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <LogIn aria-hidden />}
        Join {team}
      </Button>
      {join.error ? <ErrorState error={join.error} /> : null}
    </div>
  );
}
