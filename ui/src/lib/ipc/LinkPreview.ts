
import type { AlgorithmView } from "./AlgorithmView";
import type { OtpKindView } from "./OtpKindView";

export type LinkPreview = { issuer: string, name: string, kind: OtpKindView, algorithm: AlgorithmView, digits: number, period: number | null, warnings: Array<string>, duplicates: Array<string>, };
