import { fuzzShard } from "./harness";

// Half of the endpoints (the other half runs in parallel, on its own database): see harness.ts.
fuzzShard(0, 2);
