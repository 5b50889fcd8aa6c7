/** The options of every command that opens a drive; apart from drive-context.ts so the command table loads no drive code. */
export const DRIVE_OPTIONS = {
  drive: { type: "string", short: "d" },
  media: { type: "string" },
  trace: { type: "boolean" },
  faults: { type: "string" },
  personality: { type: "string" },
  "client-name": { type: "string" },
} as const;
