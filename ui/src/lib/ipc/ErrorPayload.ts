
import type { ErrorCode } from "./ErrorCode";

export type ErrorPayload = { code: ErrorCode, message: string, };
