import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

// findBy*/waitFor wait for the UI to reach a state; they are not a time budget. Testing Library's
// default ceiling of 1 s failed nine component tests when the machine was busy (CI's unit stage
// beside other jobs, reproduced with eight CPU burners). Like Playwright's expect here: 15 s.
configure({ asyncUtilTimeout: 15_000 });

afterEach(() => cleanup());
