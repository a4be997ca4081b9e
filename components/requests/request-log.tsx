"use client";

import { FailingCodes } from "./failing-codes";
import { FilterBar } from "./request-filters";
import { RequestSearch } from "./find-request";
import { RequestList } from "./request-table";

export function RequestLog() {
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-4 md:flex-row md:items-end md:justify-between">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Requests</h1>
          <p className="text-sm text-muted-foreground">
            Every call to the API by your keys and this console, newest first. Kept for 30 days.
          </p>
        </div>
        <RequestSearch />
      </div>
      <FilterBar />
      <FailingCodes />
      <RequestList />
    </div>
  );
}
