

export type Settings = { clipboardClearSeconds: number, autoLockMinutes: number, privacyMode: boolean, contentProtection: boolean, };
