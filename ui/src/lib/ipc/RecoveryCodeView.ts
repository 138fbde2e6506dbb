

export type RecoveryCodeView = { index: number, code: string, used: boolean, };
