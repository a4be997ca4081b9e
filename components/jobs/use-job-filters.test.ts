import { describe, expect, it } from "vitest";
import { jobFilterParams, jobsExportHref } from "@/lib/api/queries/jobs";
import { toJobFilters } from "./job-search";

describe("job filters", () => {
  it("turns whole UTC days into strict created_after/created_before bounds", () => {
    const filters = toJobFilters({
      status: "failed",
      product: "text-to-image",
      key: "key_1",
      from: new Date("2026-03-01T00:00:00.000Z"),
      to: new Date("2026-03-31T00:00:00.000Z"),
    });
    expect(filters).toEqual({
      status: "failed",
      product: "text-to-image",
      key_id: "key_1",
      created_after: "2026-02-28T23:59:59.999Z",
      created_before: "2026-04-01T00:00:00.000Z",
    });
  });

  it("leaves unset filters out, and the CSV export carries exactly the list's filters", () => {
    expect(toJobFilters({ status: null, product: null, key: null, from: null, to: null })).toEqual({});
    const filters = { status: "succeeded", product: "image-edit" } as const;
    expect(jobFilterParams(filters).toString()).toBe("status=succeeded&product=image-edit");
    expect(jobsExportHref(filters)).toBe("/api/v1/jobs/export.csv?status=succeeded&product=image-edit");
    expect(jobsExportHref({})).toBe("/api/v1/jobs/export.csv");
  });
});
