
import type { AccountView } from "./AccountView";

export type AccountList = { now: number, accounts: Array<AccountView>, };
