
import type { AlgorithmView } from "./AlgorithmView";
import type { OtpKindView } from "./OtpKindView";

export type AccountView = { id: string, issuer: string, name: string, groups: Array<string>, favorite: boolean, order: number, kind: OtpKindView, algorithm: AlgorithmView, digits: number, period: number | null, counter: number | null, code: string, validFrom: number | null, validUntil: number | null, nextCode: string | null, recoveryTotal: number, recoveryUnused: number, note: string, };
