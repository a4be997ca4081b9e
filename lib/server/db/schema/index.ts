export * from "./auth";
export * from "./billing";
export * from "./customers";
export * from "./jobs";
export * from "./keys";
export * from "./logs";
export * from "./events";
