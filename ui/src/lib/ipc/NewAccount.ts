
import type { AlgorithmView } from "./AlgorithmView";
import type { OtpKindView } from "./OtpKindView";

export type NewAccount = { issuer: string, name: string, secret: string, kind: OtpKindView, algorithm: AlgorithmView, digits: number, period: number, counter: number, groups: Array<string>, };
