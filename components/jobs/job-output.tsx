import { Download } from "lucide-react";
import { Button } from "@/components/ui/button";
import type { Job, JobOutput } from "@/lib/api/contract/jobs.schema";

const EXTENSION: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "image/gif": "gif",
};

/** The output at full size (video products render an animated image) and a download link. */
export function JobOutputView({ job, output }: { job: Pick<Job, "id" | "prompt">; output: JobOutput }) {
  const ext = EXTENSION[output.content_type] ?? output.content_type.split("/")[1] ?? "bin";
  return (
    <figure className="flex flex-col gap-3">
      {output.content_type.startsWith("video/") ? (
        <video
          src={output.url}
          width={output.width}
          height={output.height}
          controls
          loop
          className="h-auto max-w-full rounded-md border"
        />
      ) : (
        // Served by our API as generated; an animated WebP must stay animated, so no re-encoding.
        // eslint-disable-next-line @next/next/no-img-element
        <img
          src={output.url}
          width={output.width}
          height={output.height}
          alt={`Output of “${job.prompt}”`}
          className="h-auto max-w-full rounded-md border"
        />
      )}
      <figcaption className="flex flex-wrap items-center justify-between gap-2 text-sm text-muted-foreground">
        <span>
          {output.width} × {output.height} · {output.content_type}
        </span>
        <Button asChild variant="outline" size="sm">
          <a href={output.url} download={`${job.id}.${ext}`}>
            <Download aria-hidden />
            Download
          </a>
        </Button>
      </figcaption>
    </figure>
  );
}
