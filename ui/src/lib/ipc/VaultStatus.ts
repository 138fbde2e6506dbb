

export type VaultStatus = "no_vault" | "locked" | "unlocked";
