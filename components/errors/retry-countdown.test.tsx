import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "@/lib/api/errors";
import { MAX_AUTO_RETRIES, RetryCountdown } from "./retry-countdown";

const limited = (retryAfter: number | null) =>
  new ApiError({
    code: "rate_limited",
    status: 429,
    message: "Too many requests.",
    requestId: "req_429",
    retryAfter,
    details: { retry_after: retryAfter, limit: 30, window_seconds: 60 },
  });

describe("RetryCountdown", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("counts down from Retry-After in a status, then retries by itself once", () => {
    const onRetry = vi.fn();
    render(<RetryCountdown error={limited(3)} onRetry={onRetry} />);
    expect(screen.getByRole("status")).toHaveTextContent("Retrying in 3 s");
    expect(screen.getByText("The limit is 30 requests per 60 s.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Copy request ID" })).toBeInTheDocument();
    expect(screen.getByTestId("request-id")).toHaveTextContent("req_429");

    act(() => void vi.advanceTimersByTime(1_000));
    expect(screen.getByRole("status")).toHaveTextContent("Retrying in 2 s");
    expect(onRetry).not.toHaveBeenCalled();

    act(() => void vi.advanceTimersByTime(2_100));
    expect(onRetry).toHaveBeenCalledTimes(1);
    act(() => void vi.advanceTimersByTime(5_000));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it("backs off exponentially without Retry-After, and restarts for the next error", () => {
    const onRetry = vi.fn();
    const unavailable = (id: string) =>
      new ApiError({ code: "service_unavailable", status: 502, message: "Backend down.", requestId: id });
    vi.spyOn(Math, "random").mockReturnValue(1);
    const { rerender } = render(
      <RetryCountdown error={unavailable("req_a")} onRetry={onRetry} attempt={2} />,
    );
    // attempt 2 → ceiling 4 s (full jitter with random() = 1 → 4 s).
    expect(screen.getByRole("status")).toHaveTextContent("Retrying in 4 s");
    act(() => void vi.advanceTimersByTime(4_100));
    expect(onRetry).toHaveBeenCalledTimes(1);

    rerender(<RetryCountdown error={unavailable("req_b")} onRetry={onRetry} attempt={3} />);
    expect(screen.getByRole("status")).toHaveTextContent("Retrying in 8 s");
    expect(screen.getByTestId("request-id")).toHaveTextContent("req_b");
  });

  it("stops after a few attempts and offers Try again", async () => {
    vi.useRealTimers();
    const onRetry = vi.fn();
    render(<RetryCountdown error={limited(1)} onRetry={onRetry} attempt={MAX_AUTO_RETRIES} />);
    expect(screen.getByRole("status")).toHaveTextContent(
      `Stopped retrying after ${MAX_AUTO_RETRIES} attempts.`,
    );
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });
});
