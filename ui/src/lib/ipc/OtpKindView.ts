

export type OtpKindView = "totp" | "hotp" | "steam";
