/** Shared formatting: any feature may import it; it imports no feature code (lint enforces it). */
export { formatCount, formatCredits, formatMoney, formatSignedCredits } from "./credits";
export { formatDate, formatTimestamp, relativeOrDate, timeFromNow } from "./date";
export { dateTimeFormat } from "./date-time";
export { formatDuration } from "./duration";
export { LEDGER_KIND_LABEL } from "./ledger";
