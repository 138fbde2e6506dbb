

export type AddOutcome = { id: string, warnings: Array<string>, duplicates: Array<string>, };
