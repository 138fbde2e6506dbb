

export type ErrorCode = "wrong_password" | "locked" | "no_vault" | "vault_exists" | "not_found" | "invalid_input" | "io" | "clipboard" | "not_available";
